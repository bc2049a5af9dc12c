"""`skillbite pack|demo|import` through Typer's runner: results, and one-line errors (exit 1) for mistakes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillbite.cli.main import app
from skillbite.content.demo_packs import demo_pack_paths
from skillbite.content.pack_reader import read_pack
from skillbite.settings import Settings
from tests.services.import_files import good_csv, malformed_csv, spanish_apkg, tldr_tarball

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SKILLBITE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLBITE_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("SKILLBITE_BASE_URL", "https://learn.example.com")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # as after install: creates `default`
    return settings


def invoke(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def assert_one_line_error(result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert fragment in lines[0], lines[0]


@pytest.fixture
def broken_pack(tmp_path: Path) -> Path:
    """The example pack with a prerequisite cycle and an item without a correct answer."""
    target = tmp_path / "broken"
    shutil.copytree(EXAMPLE, target)
    skills = target / "skills.md"
    skills.write_text(
        skills.read_text().replace(
            "description: Know which file holds",
            "prerequisites: [pack.validate]\n    description: Know which file holds",
        )
    )
    lesson = target / "lessons" / "practice-items.md"
    lesson.write_text(
        lesson.read_text().replace('answers: ["skillbite pack validate {{path/to/pack}}"]', "answers: []")
    )
    return target


def test_validate_a_valid_pack(env: Settings) -> None:
    result = invoke("pack", "validate", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_prints_every_error_with_file_and_line(env: Settings, broken_pack: Path) -> None:
    result = invoke("pack", "validate", broken_pack)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and "2 error(s)" in lines[-1]
    problems = [line for line in lines[:-1] if ": error: " in line]
    assert len(problems) == 2, result.output
    assert all(re.match(r"^[\w./-]+\.md:\d+: error: ", line) for line in problems), problems
    cycle = next(line for line in problems if line.startswith("skills.md:"))
    assert "pack.layout" in cycle and "pack.validate" in cycle and "->" in cycle
    assert any(line.startswith("lessons/practice-items.md:") for line in problems)


def test_validate_error_paths(env: Settings, tmp_path: Path) -> None:
    result = invoke("pack", "validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "nowhere" in result.output and result.output.splitlines()[-1].startswith("error: ")


def test_pack_import_list_and_export(env: Settings, tmp_path: Path) -> None:
    result = invoke("pack", "import", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "imported pack hello-skillbite 1.0.0" in result.output
    again = invoke("pack", "import", EXAMPLE)
    assert "updated pack hello-skillbite 1.0.0" in again.output and "7 unchanged" in again.output

    listed = invoke("pack", "list")
    assert listed.exit_code == 0
    assert re.search(r"hello-skillbite\s+1\.0\.0\s+2 lessons\s+7 items\s+Hello, skillbite", listed.output)

    exported = invoke("pack", "export", "hello-skillbite", tmp_path / "out.zip")
    assert exported.exit_code == 0, exported.output
    assert read_pack(tmp_path / "out.zip")[0] == read_pack(EXAMPLE)[0]
    folder = invoke("pack", "export", "hello-skillbite", tmp_path / "out")
    assert folder.exit_code == 0 and (tmp_path / "out" / "pack.md").is_file()


def test_pack_import_error_paths(env: Settings, tmp_path: Path, broken_pack: Path) -> None:
    assert_one_line_error(invoke("pack", "import", tmp_path / "nowhere"), "nowhere")
    assert_one_line_error(invoke("pack", "import", EXAMPLE, "--org", "no-such-org"), "no-such-org")
    (tmp_path / "notes.txt").write_text("hello")
    assert_one_line_error(invoke("pack", "import", tmp_path / "notes.txt"), "folder or a .zip")

    result = invoke("pack", "import", broken_pack)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and "not imported" in lines[-1]
    assert sum(": error: " in line for line in lines[:-1]) == 2
    assert "hello-skillbite" not in invoke("pack", "list").output


def test_pack_export_and_list_error_paths(env: Settings, tmp_path: Path) -> None:
    assert_one_line_error(invoke("pack", "export", "nope", tmp_path / "x.zip"), "no pack 'nope'")
    assert_one_line_error(invoke("pack", "export", "nope", tmp_path / "x.zip", "--org", "ghost"), "ghost")
    assert_one_line_error(invoke("pack", "list", "--org", "ghost"), "ghost")
    invoke("pack", "import", EXAMPLE)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("keep")
    assert_one_line_error(invoke("pack", "export", "hello-skillbite", tmp_path / "busy"), "not empty")


def test_demo_load(env: Settings) -> None:
    result = invoke("demo", "load")
    assert result.exit_code == 0, result.output
    listed = invoke("pack", "list").output
    for path in demo_pack_paths():
        assert path.name in listed
    assert_one_line_error(invoke("demo", "load", "--org", "ghost"), "ghost")


def test_import_tldr(env: Settings, tmp_path: Path) -> None:
    result = invoke("import", "tldr", tldr_tarball(tmp_path / "tldr.tar.gz"))
    assert result.exit_code == 0, result.output
    assert "imported pack tldr-pages" in result.output and "3 added" in result.output
    assert_one_line_error(invoke("import", "tldr", tmp_path / "missing.tar.gz"), "missing.tar.gz")
    assert_one_line_error(invoke("import", "tldr", tmp_path / "tldr.tar.gz", "--org", "ghost"), "ghost")
    bad = tldr_tarball(tmp_path / "bad.tar.gz", {"pages/common/x.md": "no title\n"})
    assert_one_line_error(invoke("import", "tldr", bad), "pages/common/x.md:1")


def test_import_csv(env: Settings, tmp_path: Path) -> None:
    result = invoke("import", "csv", good_csv(tmp_path / "http-codes.csv"))
    assert result.exit_code == 0, result.output
    assert "imported pack http-codes" in result.output and "3 added" in result.output
    assert_one_line_error(invoke("import", "csv", tmp_path / "missing.csv"), "missing.csv")
    assert_one_line_error(invoke("import", "csv", tmp_path / "http-codes.csv", "--org", "ghost"), "ghost")
    bad_id = invoke("import", "csv", tmp_path / "http-codes.csv", "--pack-id", "Bad Id!")
    assert bad_id.exit_code == 1 and "'Bad Id!' is not a valid pack id" in bad_id.output
    assert bad_id.output.splitlines()[-1].startswith("error: ")

    malformed = invoke("import", "csv", malformed_csv(tmp_path / "cards.csv"))
    assert malformed.exit_code == 1
    lines = [line for line in malformed.output.splitlines() if line.strip()]
    assert lines[0].startswith("cards.csv:3: error: ")
    assert lines[-1].startswith("error: ") and "not imported" in lines[-1]
    assert "cards" not in invoke("pack", "list").output.split()


def test_import_apkg(env: Settings, tmp_path: Path) -> None:
    result = invoke("import", "apkg", spanish_apkg(tmp_path / "spanish.apkg"))
    assert result.exit_code == 0, result.output
    assert (
        "imported pack spanish" in result.output and "3 added" in result.output and "2 media" in result.output
    )
    assert_one_line_error(invoke("import", "apkg", tmp_path / "missing.apkg"), "missing.apkg")
    assert_one_line_error(invoke("import", "apkg", tmp_path / "spanish.apkg", "--org", "ghost"), "ghost")
    (tmp_path / "broken.apkg").write_bytes(b"not a zip at all")
    assert_one_line_error(invoke("import", "apkg", tmp_path / "broken.apkg"), "broken.apkg")


def test_pack_reindex(env: Settings) -> None:
    assert invoke("demo", "load").exit_code == 0
    result = invoke("pack", "reindex")
    assert result.exit_code == 0 and "reindexed 3 pack(s)" in result.output, result.output
    result = invoke("pack", "reindex", "sql-everyday")
    assert result.exit_code == 0 and "reindexed 1 pack(s): sql-everyday" in result.output, result.output
    assert_one_line_error(invoke("pack", "reindex", "ghost"), "no pack 'ghost'")
