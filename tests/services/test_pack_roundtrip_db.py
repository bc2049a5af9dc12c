"""Export then import gives the same pack: through the database, for the example pack and the demo packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.content.pack_reader import read_pack
from skillbite.domain.content import Pack
from skillbite.domain.ids import OrgId
from skillbite.wiring import System

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"
PACKS = [EXAMPLE, *demo_pack_paths()]


def read(path: Path) -> Pack:
    pack, report = read_pack(path)
    assert pack is not None, "\n".join(p.format() for p in report.problems)
    return pack


def media_bytes(system: System, org: OrgId, pack: Pack) -> dict[str, bytes]:
    return {path: system.content.media(org, pack.id, path).data for path in pack.media}


@pytest.mark.parametrize("source", PACKS, ids=[p.name for p in PACKS])
@pytest.mark.parametrize("form", ["folder", "zip"])
def test_export_then_import_gives_the_same_pack(
    system: System, tmp_path: Path, source: Path, form: str
) -> None:
    first = OrgId(system.organisations.create("first").id)
    second = OrgId(system.organisations.create("second").id)
    original = read(source)
    assert original.media, "every pack here has media, so media round-trips are exercised"
    system.content.import_pack(first, source)
    stored = system.content.pack(first, original.id)
    assert stored == original

    dest = tmp_path / (f"{original.id}.zip" if form == "zip" else original.id)
    written = system.content.export_pack(first, original.id, dest)
    assert written == dest and (dest.is_file() if form == "zip" else dest.is_dir())
    assert read(written) == original  # the exported files read back as the same pack

    summary = system.content.import_pack(second, written)
    assert summary.created
    assert system.content.pack(second, original.id) == original
    on_disk = {path: (source / path).read_bytes() for path in original.media}
    assert media_bytes(system, first, original) == on_disk
    assert media_bytes(system, second, original) == on_disk


def test_export_refuses_a_folder_that_is_not_empty(system: System, tmp_path: Path) -> None:
    from skillbite.services.errors import InvalidInput, NotFound

    org = OrgId(system.organisations.get(system.settings.default_org_slug).id)
    system.content.import_pack(org, EXAMPLE)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not empty"):
        system.content.export_pack(org, "hello-skillbite", tmp_path / "busy")
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(NotFound, match="no pack 'nope'"):
        system.content.export_pack(org, "nope", tmp_path / "out.zip")
