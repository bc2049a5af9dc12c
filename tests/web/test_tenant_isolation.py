"""Tenant isolation, generated from the app's route table.

For every route whose path takes an id, a user of organisation A asks for organisation B's object with every
method the route allows: the answer is 404, and B's rows are unchanged. A new route with an id parameter that
has no factory below fails this test until one is added, so new routes are covered automatically.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from skillbite.web.app import route_table
from skillbite.wiring import System
from tests.conftest import WebUser

ID_PARAM = re.compile(r"\{(\w*_id|\w*_key|id)\}")
ANY_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# A route parameter that is a secret (invite and password links) is not an object id: the token is the proof.
NOT_OBJECT_IDS = {"token"}


def _make_token(system: System, owner: WebUser) -> int:
    return int(owner.api("POST", "/api/tokens", json={"name": "b's token"}).json()["id"])


def _make_invite(system: System, owner: WebUser) -> int:
    return int(owner.api("POST", "/api/invites", json={"role": "learner"}).json()["id"])


def _make_member(system: System, owner: WebUser) -> int:
    return int(owner.api("GET", "/api/me").json()["user_id"])


def _make_pack(system: System, owner: WebUser) -> str:
    answer = owner.api(
        "POST", "/api/packs", files={"file": ("hello.zip", example_pack_zip(), "application/zip")}
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["pack"])


def _first_bite(system: System, owner: WebUser) -> dict[str, object]:
    _make_pack(system, owner)
    bites = owner.api("GET", "/api/session?minutes=120").json()["bites"]
    assert bites, "the example pack should give a new bite"
    return dict(bites[0])


def _make_lesson(system: System, owner: WebUser) -> int:
    return int(str(_first_bite(system, owner)["lesson_id"]))


def _make_item(system: System, owner: WebUser) -> int:
    item_ids = _first_bite(system, owner)["item_ids"]
    assert isinstance(item_ids, list)
    return int(item_ids[0])


def example_pack_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(EXAMPLE_PACK.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(EXAMPLE_PACK).as_posix())
    return buffer.getvalue()


EXAMPLE_PACK = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"
# Values for the other path parameters: a file that B's pack has.
OTHER_PARAMS = {"path": "media/pack-layout.svg"}


FACTORIES: dict[str, Callable[[System, WebUser], int | str]] = {
    "pack_key": _make_pack,
    "token_id": _make_token,
    "invite_id": _make_invite,
    "user_id": _make_member,
    "lesson_id": _make_lesson,
    "item_id": _make_item,
}


def routes_with_ids() -> list[tuple[str, str, list[str]]]:
    found = []
    for route in route_table():
        params = ID_PARAM.findall(route.path)
        for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
            if params:
                found.append((method, route.path, params))
    return found


def snapshot_org(system: System, org_id: int) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every tenant-owned table that belongs to the organisation."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    with system.db.engine.connect() as connection:
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            columns = [c["name"] for c in inspector.get_columns(table)]
            if "org_id" not in columns:
                continue
            # The table names come from the schema itself, not from input.
            query = text(f'SELECT * FROM "{table}" WHERE org_id = :org ORDER BY 1')  # noqa: S608
            result = connection.execute(query, {"org": org_id})
            rows[table] = [tuple(r) for r in result]
    return rows


def test_every_id_route_has_a_factory() -> None:
    missing = {p for _, _, params in routes_with_ids() for p in params} - FACTORIES.keys()
    assert not missing, f"add a factory to FACTORIES for route parameters: {sorted(missing)}"
    assert routes_with_ids(), "expected routes that take an id"


def test_other_organisations_objects_answer_404(app, system: System, sign_up) -> None:
    a = sign_up("alice@a.example", "org-a")
    b = sign_up("bob@b.example", "org-b")
    from skillbite.store.tables.accounts import Organisation

    with system.db.transaction() as session:
        org_b = session.scalars(select(Organisation).where(Organisation.slug == "org-b")).one().id

    checked = 0
    for method, path, params in routes_with_ids():
        values = {p: FACTORIES[p](system, b) for p in params}
        url = path
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        url = ANY_PARAM.sub(lambda m: OTHER_PARAMS[m.group(1)], url)
        before = snapshot_org(system, org_b)
        body = {"role": "admin", "name": "x"} if method in ("POST", "PUT", "PATCH") else None
        if path.startswith("/api/"):
            answer = a.api(method, url, json=body) if body else a.api(method, url)
        else:
            answer = a.form(url, {"name": "x"}) if method == "POST" else a.client.request(method, url)
        assert answer.status_code == 404, f"{method} {path} as another organisation gave {answer.status_code}"
        assert snapshot_org(system, org_b) == before, f"{method} {path} changed organisation B's rows"
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("path", ["/api/tokens/999999", "/api/invites/999999", "/api/members/999999"])
def test_unknown_ids_also_answer_404(sign_up, path: str) -> None:
    a = sign_up("carol@c.example", "org-c")
    assert a.api("GET", path).status_code == 404
