"""Authors bring content in through the web app (upload, check, confirm) and the REST API."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from skillbite.content.pack_reader import read_pack
from skillbite.wiring import System
from tests.conftest import WebUser
from tests.services.import_files import good_csv, malformed_csv, spanish_apkg

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"


@pytest.fixture(autouse=True)
def uploads_in_tmp(system: System, tmp_path: Path) -> Path:
    """Keep uploads waiting for confirmation in the test's folder, and check what is left there."""
    system.authoring.uploads.root = tmp_path / "uploads"
    return system.authoring.uploads.root


def zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return buffer.getvalue()


def broken_zip(tmp_path: Path) -> bytes:
    """The example pack with an item that has no correct answer (lessons/practice-items.md)."""
    target = tmp_path / "broken"
    shutil.copytree(EXAMPLE, target)
    lesson = target / "lessons" / "practice-items.md"
    lesson.write_text(
        lesson.read_text().replace('answers: ["skillbite pack validate {{path/to/pack}}"]', "answers: []")
    )
    return zip_of(target)


def upload_page(user: WebUser, name: str, data: bytes) -> Response:
    return user.client.post(
        "/author/uploads",
        data={"csrf_token": user.csrf},
        files={"file": (name, data, "application/octet-stream")},
    )


def api_upload(user: WebUser, url: str, name: str, data: bytes) -> Response:
    return user.api("POST", url, files={"file": (name, data, "application/octet-stream")})


def learner_of(admin: WebUser, new_client: Callable[[], TestClient]) -> WebUser:
    invite = admin.api("POST", "/api/invites", json={"role": "learner"}).json()
    path = invite["url"].removeprefix("http://testserver")
    client = new_client()
    page = client.get(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    joined = client.post(
        path,
        data={"email": "leo@example.com", "password": "long enough pw", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    return WebUser(client, "leo@example.com", admin.org)


def test_upload_check_confirm_summary(sign_up, uploads_in_tmp: Path) -> None:
    author = sign_up()
    page = author.client.get("/author/packs")
    assert page.status_code == 200 and "No content yet" in page.text

    checked = upload_page(author, "hello.zip", zip_of(EXAMPLE))
    assert checked.status_code == 200 and "Ready to import" in checked.text
    confirm = re.search(r'action="(/author/uploads/[^"]+/confirm)"', checked.text)
    assert confirm, checked.text
    assert author.client.get("/api/packs").json() == []  # nothing imported before confirming

    done = author.form(confirm.group(1), {})
    assert done.status_code == 200 and "Imported hello-skillbite 1.0.0" in done.text
    assert "2 added" in done.text and "7 added" in done.text
    assert [p["key"] for p in author.client.get("/api/packs").json()] == ["hello-skillbite"]
    assert "Hello, skillbite" in author.client.get("/author/packs").text
    assert not any(uploads_in_tmp.rglob("*.zip")), "a confirmed upload is removed"

    again = author.form(confirm.group(1), {})
    assert again.status_code == 404 and "upload the file again" in again.text


def test_a_failed_check_shows_every_problem_and_cannot_be_confirmed(
    sign_up, tmp_path: Path, uploads_in_tmp: Path
) -> None:
    author = sign_up()
    checked = upload_page(author, "broken.zip", broken_zip(tmp_path))
    assert checked.status_code == 422 and "Not imported" in checked.text
    assert "lessons/practice-items.md:" in checked.text and "How to fix" in checked.text
    assert "/confirm" not in checked.text
    assert not any(uploads_in_tmp.rglob("*.zip")), "a refused upload is not kept"
    assert author.client.get("/api/packs").json() == []
    # no token was handed out; a guessed or made-up one is refused
    guessed = author.form("/author/uploads/" + "a" * 32 + "/confirm", {})
    assert guessed.status_code == 404
    assert author.client.get("/api/packs").json() == []


def test_the_page_refuses_other_files_and_learners(sign_up, new_client) -> None:
    author = sign_up()
    wrong = upload_page(author, "notes.txt", b"hello")
    assert wrong.status_code == 422 and "upload a .zip pack" in wrong.text
    learner = learner_of(author, new_client)
    assert learner.client.get("/author/packs").status_code == 403
    assert upload_page(learner, "hello.zip", zip_of(EXAMPLE)).status_code == 403


def test_csv_and_apkg_through_the_pages(sign_up, tmp_path: Path) -> None:
    author = sign_up()
    bad = upload_page(author, "cards.csv", malformed_csv(tmp_path / "cards.csv").read_bytes())
    assert bad.status_code == 422 and "cards.csv:3" in bad.text
    for name, data in [
        ("http.csv", good_csv(tmp_path / "http.csv").read_bytes()),
        ("spanish.apkg", spanish_apkg(tmp_path / "spanish.apkg").read_bytes()),
    ]:
        checked = upload_page(author, name, data)
        assert checked.status_code == 200, checked.text
        confirm = re.search(r'action="(/author/uploads/[^"]+/confirm)"', checked.text)
        assert confirm
        assert author.form(confirm.group(1), {}).status_code == 200
    assert sorted(p["key"] for p in author.client.get("/api/packs").json()) == ["http", "spanish"]


def test_api_validate_import_list_get_export_and_media(sign_up, tmp_path: Path) -> None:
    author = sign_up()
    ok = api_upload(author, "/api/packs/validate", "hello.zip", zip_of(EXAMPLE))
    assert ok.status_code == 200 and ok.json()["ok"] is True and ok.json()["kind"] == "pack"
    assert author.client.get("/api/packs").json() == []

    bad = api_upload(author, "/api/packs/validate", "broken.zip", broken_zip(tmp_path))
    assert bad.status_code == 200 and bad.json()["ok"] is False
    assert [(p["file"], p["severity"]) for p in bad.json()["problems"] if p["severity"] == "error"] == [
        ("lessons/practice-items.md", "error")
    ]
    assert bad.json()["problems"][0]["line"] is not None

    created = api_upload(author, "/api/packs", "hello.zip", zip_of(EXAMPLE))
    assert created.status_code == 201, created.text
    assert created.json()["pack"] == "hello-skillbite" and created.json()["items"]["added"] == 7
    updated = api_upload(author, "/api/packs", "hello.zip", zip_of(EXAMPLE))
    assert updated.status_code == 201 and updated.json()["created"] is False
    assert updated.json()["items"]["unchanged"] == 7

    listed = author.client.get("/api/packs").json()
    assert listed == [
        {
            "key": "hello-skillbite",
            "title": "Hello, skillbite",
            "version": "1.0.0",
            "licence": "CC-BY-4.0",
            "origin": "pack",
            "lessons": 2,
            "items": 7,
        }
    ]
    pack = author.client.get("/api/packs/hello-skillbite").json()
    assert [lesson["id"] for lesson in pack["lessons"]] == ["pack-layout", "practice-items"]
    assert sum(len(lesson["items"]) for lesson in pack["lessons"]) == 7
    assert author.client.get("/api/packs/nope").status_code == 404

    exported = author.client.get("/api/packs/hello-skillbite/export")
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    (tmp_path / "export.zip").write_bytes(exported.content)
    assert read_pack(tmp_path / "export.zip")[0] == read_pack(EXAMPLE)[0]
    assert author.client.get("/api/packs/nope/export").status_code == 404

    media = author.client.get("/media/hello-skillbite/media/pack-layout.svg")
    assert media.status_code == 200 and media.content == (EXAMPLE / "media" / "pack-layout.svg").read_bytes()
    assert media.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in media.headers["content-security-policy"]
    assert author.client.get("/media/hello-skillbite/media/missing.svg").status_code == 404


def test_api_refuses_invalid_uploads_with_the_problem_list(sign_up, tmp_path: Path) -> None:
    author = sign_up()
    broken = api_upload(author, "/api/packs", "broken.zip", broken_zip(tmp_path))
    assert broken.status_code == 422
    problems = broken.json()["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["file"], p["line"] is not None) for p in errors] == [("lessons/practice-items.md", True)]
    assert all(p["hint"] for p in errors)

    csv = api_upload(author, "/api/packs", "cards.csv", malformed_csv(tmp_path / "cards.csv").read_bytes())
    assert csv.status_code == 422
    assert [(p["file"], p["line"]) for p in csv.json()["problems"]] == [("cards.csv", 3)]

    garbage = api_upload(author, "/api/packs", "deck.apkg", b"not a zip")
    assert garbage.status_code == 422 and garbage.json()["problems"]

    wrong = api_upload(author, "/api/packs", "notes.txt", b"hello")
    assert wrong.status_code == 422 and "upload a .zip pack" in wrong.json()["detail"]
    assert author.client.get("/api/packs").json() == []


def test_uploads_over_the_size_limit_are_refused(sign_up, system: System, uploads_in_tmp: Path) -> None:
    author = sign_up()
    system.authoring.uploads.max_bytes = 1 << 20
    too_big = b"x" * ((1 << 20) + 1)
    answer = api_upload(author, "/api/packs", "big.zip", too_big)
    assert answer.status_code == 422 and "larger than the 1 MiB limit" in answer.json()["detail"]
    page = upload_page(author, "big.zip", too_big)
    assert page.status_code == 422 and "larger than the 1 MiB limit" in page.text
    assert not any(path.is_file() for path in uploads_in_tmp.rglob("*")), "nothing of it is kept"
    assert author.client.get("/api/packs").json() == []


def test_learners_cannot_import_or_export(sign_up, new_client) -> None:
    author = sign_up()
    assert api_upload(author, "/api/packs", "hello.zip", zip_of(EXAMPLE)).status_code == 201
    learner = learner_of(author, new_client)
    assert api_upload(learner, "/api/packs", "hello.zip", zip_of(EXAMPLE)).status_code == 403
    assert api_upload(learner, "/api/packs/validate", "hello.zip", zip_of(EXAMPLE)).status_code == 403
    assert learner.client.get("/api/packs/hello-skillbite").status_code == 403
    assert learner.client.get("/api/packs/hello-skillbite/export").status_code == 403
    # learners see the list and the media their lessons show
    assert [p["key"] for p in learner.client.get("/api/packs").json()] == ["hello-skillbite"]
    assert learner.client.get("/media/hello-skillbite/media/pack-layout.svg").status_code == 200


def test_another_organisation_sees_nothing(sign_up) -> None:
    author = sign_up()
    assert api_upload(author, "/api/packs", "hello.zip", zip_of(EXAMPLE)).status_code == 201
    other = sign_up("bo@example.com", "other-co")
    assert other.client.get("/api/packs").json() == []
    assert other.client.get("/api/packs/hello-skillbite").status_code == 404
    assert other.client.get("/media/hello-skillbite/media/pack-layout.svg").status_code == 404
    assert other.client.get("/api/packs/hello-skillbite/export").status_code == 404
