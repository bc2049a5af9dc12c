"""tldr-pages import: pages become lessons with typed-answer items; hostile archives are refused."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from skillbite.content.importers.tldr import TldrImportError, page_lesson_id, read_tldr, tldr_pack
from skillbite.domain.content import TypedAnswer

GIT_RESET = """# git reset

> Undo commits or unstage changes.
> More information: <https://git-scm.com/docs/git-reset>.

- Unstage everything:

`git reset`

- Undo the last commit, keeping its changes:

`git reset HEAD~`

- Unstage [p]ortions of a file:

`git reset {{[-p|--patch]}} {{path/to/file}}`
"""


def make_tarball(path: Path, members: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (symlinks or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


def test_page_becomes_a_lesson(tmp_path: Path) -> None:
    tarball = make_tarball(tmp_path / "t.tar.gz", {"pages/common/git-reset.md": GIT_RESET.encode()})
    (lesson,) = read_tldr(tarball)
    assert lesson.id == "tldr.common.git-reset"
    assert lesson.title == "git reset"
    assert lesson.source == "pages/common/git-reset.md"
    assert lesson.skills == ("tldr.common.git-reset",)
    assert lesson.tags == ("common",)
    assert lesson.minutes == 2.0
    assert lesson.body.startswith("> Undo commits or unstage changes.")
    assert "- Undo the last commit, keeping its changes:\n\n`git reset HEAD~`" in lesson.body
    assert [item.body.prompt for item in lesson.items if isinstance(item.body, TypedAnswer)] == [
        "Unstage everything",
        "Undo the last commit, keeping its changes",
        "Unstage [p]ortions of a file",
    ]
    second = lesson.items[1]
    assert isinstance(second.body, TypedAnswer)
    assert second.body.answers == ("git reset HEAD~",)
    assert second.body.placeholders_any is True
    assert second.explanation == "`git reset HEAD~`"


def test_item_ids_follow_the_description_not_the_position(tmp_path: Path) -> None:
    first = make_tarball(tmp_path / "a.tar.gz", {"pages/common/git-reset.md": GIT_RESET.encode()})
    reordered = (
        GIT_RESET.replace("- Unstage everything:\n\n`git reset`\n\n", "")
        + "\n- Unstage everything:\n\n`git reset`\n"
    )
    second = make_tarball(tmp_path / "b.tar.gz", {"pages/common/git-reset.md": reordered.encode()})
    ids_before = {i.body.prompt: i.id for i in next(read_tldr(first)).items}  # type: ignore[union-attr]
    ids_after = {i.body.prompt: i.id for i in next(read_tldr(second)).items}  # type: ignore[union-attr]
    assert ids_before == ids_after
    assert len(set(ids_before.values())) == 3


def test_checkout_folder_and_other_languages(tmp_path: Path) -> None:
    for relative in ("tldr-main/pages/linux/ls.md", "tldr-main/pages.fr/linux/ls.md"):
        page = tmp_path / relative
        page.parent.mkdir(parents=True)
        page.write_text("# ls\n\n> List.\n\n- List files:\n\n`ls`\n", encoding="utf-8")
    (tmp_path / "tldr-main" / "README.md").write_text("# not a page\n", encoding="utf-8")
    ids = sorted(lesson.id for lesson in read_tldr(tmp_path))
    assert ids == ["tldr.fr.linux.ls", "tldr.linux.ls"]


def test_unusual_command_names_get_distinct_ids() -> None:
    assert page_lesson_id("", "common", "[") == "tldr.common.~5b"
    assert page_lesson_id("", "common", "c++") == "tldr.common.c~2b~2b"
    assert page_lesson_id("", "linux", "mkfs.ext4") == "tldr.linux.mkfs.ext4"
    assert page_lesson_id("", "common", ".") == "tldr.common.~2e"


def test_non_pages_and_links_are_skipped(tmp_path: Path) -> None:
    tarball = make_tarball(
        tmp_path / "t.tar.gz",
        {
            "LICENSE.md": b"# licence",
            "pages/common/ls.md": b"# ls\n\n- List:\n\n`ls`\n",
            "pages/x.md": b"# x",
        },
        symlinks={"pages/common/evil.md": "/etc/passwd"},
    )
    assert [lesson.id for lesson in read_tldr(tarball)] == ["tldr.common.ls"]


@pytest.mark.parametrize("name", ["/pages/common/ls.md", "pages/../../etc/ls.md", "../pages/common/ls.md"])
def test_unsafe_names_reject_the_archive(tmp_path: Path, name: str) -> None:
    tarball = make_tarball(tmp_path / "t.tar.gz", {name: b"# ls\n"})
    with pytest.raises(TldrImportError, match=r"absolute path or a '\.\.' component"):
        list(read_tldr(tarball))


def test_broken_page_names_file_and_line(tmp_path: Path) -> None:
    tarball = make_tarball(tmp_path / "t.tar.gz", {"pages/common/x.md": b"# x\n\n`x --oops`\n"})
    with pytest.raises(TldrImportError, match=r"pages/common/x.md:3: a command without"):
        list(read_tldr(tarball))


def test_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a tarball")
    with pytest.raises(TldrImportError, match="not a readable tar archive"):
        list(read_tldr(junk))


def test_whole_english_corpus(shared_dir: Path) -> None:
    # Its speed is measured by bench/jit.py (import seconds), not asserted here.
    pack = tldr_pack(shared_dir / "data" / "corpora" / "tldr-pages-en.tar.gz")
    assert len(pack.lessons) == 7425
    assert sum(len(lesson.items) for lesson in pack.lessons) == 32136
    assert len({lesson.id for lesson in pack.lessons}) == 7425
    assert len({item.id for lesson in pack.lessons for item in lesson.items}) == 32136
