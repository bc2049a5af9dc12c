"""Hostile archives: each is refused with a clear error, writes nothing outside its temporary folder,
leaves nothing half-extracted, and the big ones stay well under 256 MB of memory.

Every archive is built here, in the test, so what it contains is visible next to what is asserted.
"""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import struct
import subprocess
import sys
import tarfile
import warnings
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from skillbite.content.archives import ArchiveError, ArchiveLimits, safe_extract
from skillbite.content.importers.anki import AnkiImportError, read_apkg

try:
    from .anki_packages import basic_note, collection_bytes, deck, zip_package
except ImportError:  # tests/content is not a package: pytest put this folder on sys.path
    from anki_packages import basic_note, collection_bytes, deck, zip_package

MIB = 1024 * 1024
MEMORY_CEILING_BYTES = 256 * MIB


def snapshot(root: Path) -> dict[str, int]:
    """Every path under `root` with its size, to prove an extraction left no trace."""
    return {
        p.relative_to(root).as_posix(): (p.lstat().st_size if p.is_file() else -1) for p in root.rglob("*")
    }


def refuse(
    archive: Path,
    sandbox: Path,
    *fragments: str,
    dest_name: str = "dest",
    limits: ArchiveLimits | None = None,
) -> str:
    """Extract `archive` into sandbox/out/`dest_name`, expect ArchiveError naming `fragments`, and check
    that nothing at all changed under the sandbox."""
    before = snapshot(sandbox)
    with pytest.raises(ArchiveError) as caught:
        if limits is None:
            safe_extract(archive, sandbox / "out" / dest_name)
        else:
            safe_extract(archive, sandbox / "out" / dest_name, limits)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment.casefold() in message.casefold(), message
    assert archive.name in message
    assert snapshot(sandbox) == before
    return message


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    (tmp_path / "archives").mkdir()
    (tmp_path / "out").mkdir()
    return tmp_path


def make_zip(path: Path, files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def make_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as tf:  # type: ignore[call-overload]
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tf.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def tar_member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def write_zeros_zip(path: Path, name: str, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as entry:
        block = b"\0" * MIB
        for _ in range(size // MIB):
            entry.write(block)
    return path


def patch_zip_sizes(path: Path, *, compress_size: int | None = None, file_size: int | None = None) -> None:
    """Make a one-entry zip lie about its sizes, in the local header and the central directory."""
    data = bytearray(path.read_bytes())
    for signature, compress_at, size_at in ((b"PK\x03\x04", 18, 22), (b"PK\x01\x02", 20, 24)):
        start = data.index(signature)
        if compress_size is not None:
            struct.pack_into("<I", data, start + compress_at, compress_size)
        if file_size is not None:
            struct.pack_into("<I", data, start + size_at, file_size)
    path.write_bytes(bytes(data))


def peak_memory_of_extraction(archive: Path, dest: Path) -> tuple[str, int]:
    """Run safe_extract in a fresh interpreter and return (error message, its peak resident memory)."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from skillbite.content.archives import ArchiveError, safe_extract\n"
        "try:\n"
        "    safe_extract(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "    message = ''\n"
        "except ArchiveError as exc:\n"
        "    message = str(exc)\n"
        # VmHWM is this process's own high-water mark; ru_maxrss would carry over the pytest worker's
        # (a fork keeps the parent's peak across exec), whatever the extraction used.
        "peak = next(int(l.split()[1]) * 1024 for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(json.dumps({'error': message, 'peak': peak}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(archive), str(dest)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    return report["error"], report["peak"]


# --- names that escape the destination -------------------------------------------------------------


def test_zip_dot_dot_traversal(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "dotdot.zip", {"ok.txt": b"fine", "../evil.txt": b"pwned"})
    refuse(archive, sandbox, "'../evil.txt'", "'..'")
    assert not (sandbox / "out" / "evil.txt").exists()


def test_tar_dot_dot_traversal_in_the_middle(sandbox: Path) -> None:
    archive = make_tar(sandbox / "archives" / "dotdot.tar.gz", [(tar_member("a/../../evil.txt"), b"pwned")])
    refuse(archive, sandbox, "a/../../evil.txt", "'..'")


def test_zip_absolute_path(sandbox: Path) -> None:
    target = sandbox / "absolute-target.txt"
    archive = make_zip(sandbox / "archives" / "absolute.zip", {str(target): b"pwned"})
    refuse(archive, sandbox, "absolute path")
    assert not target.exists()


def test_tar_absolute_path(sandbox: Path) -> None:
    archive = make_tar(
        sandbox / "archives" / "absolute.tar", [(tar_member("/etc/skillbite-evil"), b"x")], "w"
    )
    refuse(archive, sandbox, "/etc/skillbite-evil", "absolute path")


def test_zip_windows_drive_letter(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "drive.zip", {"C:/Windows/evil.dll": b"x"})
    refuse(archive, sandbox, "windows drive")


def test_zip_backslash_path(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "backslash.zip", {"..\\..\\evil.txt": b"x"})
    refuse(archive, sandbox, "backslash")


def test_sibling_prefix_trick_of_anki_5167(sandbox: Path) -> None:
    # dest is out/media; the entry resolves to out/media-evil/x, which a str.startswith check accepts.
    archive = make_zip(sandbox / "archives" / "sibling.apkg", {"../media-evil/x": b"pwned"})
    refuse(archive, sandbox, "media-evil", dest_name="media")
    assert not (sandbox / "out" / "media-evil").exists()


def test_deeply_nested_path(sandbox: Path) -> None:
    deep = "/".join(["d"] * 40) + "/leaf.txt"
    archive = make_zip(sandbox / "archives" / "deep.zip", {deep: b"x"})
    refuse(archive, sandbox, "nested 41 folders deep", "limit of 32")


# --- entries that are not plain files -----------------------------------------------------------------


def test_zip_symlink_entry(sandbox: Path) -> None:
    archive = sandbox / "archives" / "symlink.zip"
    link = zipfile.ZipInfo("innocent.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(link, "/etc/passwd")
    refuse(archive, sandbox, "innocent.png", "symbolic link")


@pytest.mark.parametrize(
    ("kind", "linkname", "described"),
    [
        (tarfile.SYMTYPE, "/etc/passwd", "symbolic link to '/etc/passwd'"),
        (tarfile.LNKTYPE, "/etc/passwd", "hard link to '/etc/passwd'"),
        (tarfile.CHRTYPE, "", "character device"),
        (tarfile.BLKTYPE, "", "block device"),
        (tarfile.FIFOTYPE, "", "named pipe"),
    ],
)
def test_tar_special_entries(sandbox: Path, kind: bytes, linkname: str, described: str) -> None:
    archive = make_tar(
        sandbox / "archives" / "special.tar.gz",
        [(tar_member("ok.txt"), b"fine"), (tar_member("special", kind, linkname), b"")],
    )
    refuse(archive, sandbox, "'special'", described)


def test_zip_encrypted_entry(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "encrypted.zip", {"secret.txt": b"not really encrypted"})
    data = bytearray(archive.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # zipfile clears the flag on write
        data[data.index(signature) + flags_at] |= 0x1
    archive.write_bytes(bytes(data))
    refuse(archive, sandbox, "secret.txt", "encrypted")


# --- sizes, counts and ratios -------------------------------------------------------------------------


def test_zip_bomb_over_100_to_1_is_refused_within_memory(sandbox: Path) -> None:
    archive = write_zeros_zip(sandbox / "archives" / "bomb.zip", "zeros.bin", 50 * MIB)
    assert archive.stat().st_size * 100 < 50 * MIB
    refuse(archive, sandbox, "zeros.bin", "100 times", "zip bomb")
    message, peak = peak_memory_of_extraction(archive, sandbox / "out" / "dest")
    assert "zip bomb" in message
    assert peak < MEMORY_CEILING_BYTES
    assert not (sandbox / "out" / "dest").exists()


def test_tar_gz_bomb_is_refused_within_memory(sandbox: Path) -> None:
    archive = sandbox / "archives" / "bomb.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        info = tar_member("zeros.bin")
        info.size = 50 * MIB
        tf.addfile(info, io.BytesIO(bytes(50 * MIB)))
    refuse(archive, sandbox, "the archive expands more than 100 times")
    message, peak = peak_memory_of_extraction(archive, sandbox / "out" / "dest")
    assert "zip bomb" in message
    assert peak < MEMORY_CEILING_BYTES


def test_header_that_hides_the_real_size_is_caught(sandbox: Path) -> None:
    # The header claims 1 KiB; the deflated stream really holds 5 MiB of zeros.
    archive = write_zeros_zip(sandbox / "archives" / "liar.zip", "small.txt", 5 * MIB)
    patch_zip_sizes(archive, file_size=1024)
    refuse(archive, sandbox, "corrupt")


def test_header_that_inflates_the_compressed_size_is_caught(sandbox: Path) -> None:
    # Claiming 50 MiB compressed makes the entry's own ratio 1:1; the archive's real size gives it away.
    archive = write_zeros_zip(sandbox / "archives" / "liar.zip", "zeros.bin", 50 * MIB)
    patch_zip_sizes(archive, compress_size=50 * MIB)
    refuse(archive, sandbox, "the archive expands more than 100 times")


def test_single_file_over_the_limit(sandbox: Path) -> None:
    archive = make_zip(
        sandbox / "archives" / "big.zip", {"big.bin": bytes(range(256)) * 8}, compression=zipfile.ZIP_STORED
    )
    refuse(archive, sandbox, "big.bin", "limit for one file", limits=ArchiveLimits(max_file_bytes=1000))


def test_total_over_the_limit(sandbox: Path) -> None:
    files = {f"part{i}.bin": bytes(range(256)) * 4 for i in range(5)}
    archive = make_zip(sandbox / "archives" / "total.zip", files, compression=zipfile.ZIP_STORED)
    refuse(archive, sandbox, "expands to more than", limits=ArchiveLimits(max_total_bytes=4000))


def test_zip_with_more_than_10000_entries_within_memory(sandbox: Path) -> None:
    archive = sandbox / "archives" / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"f{i}.txt", b"")
    refuse(archive, sandbox, "10001 entries", "limit of 10000")
    message, peak = peak_memory_of_extraction(archive, sandbox / "out" / "dest")
    assert "10001 entries" in message
    assert peak < MEMORY_CEILING_BYTES


def test_tar_with_more_than_10000_entries(sandbox: Path) -> None:
    archive = make_tar(
        sandbox / "archives" / "many.tar.gz", [(tar_member(f"f{i}"), b"") for i in range(10_001)]
    )
    refuse(archive, sandbox, "more than 10000 entries")


# --- names that collide -------------------------------------------------------------------------------


def test_duplicate_names(sandbox: Path) -> None:
    archive = sandbox / "archives" / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate we want
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("lesson.md", b"first")
            zf.writestr("lesson.md", b"second")
    refuse(archive, sandbox, "'lesson.md' appears twice")


def test_names_that_differ_only_in_case(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "case.zip", {"media/Photo.png": b"a", "media/photo.PNG": b"b"})
    refuse(archive, sandbox, "differs from 'media/Photo.png' only in letter case")


def test_names_that_differ_only_in_unicode_form(sandbox: Path) -> None:
    # "café" precomposed (NFC) and decomposed (NFD): one file on macOS.
    archive = make_zip(sandbox / "archives" / "nfd.zip", {"caf\u00e9.md": b"a", "cafe\u0301.md": b"b"})
    refuse(archive, sandbox, "only in letter case or Unicode form")


def test_name_that_is_both_a_file_and_a_folder(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "clash.zip", {"media": b"a file", "media/x.png": b"b"})
    refuse(archive, sandbox, "both a file and a folder")


# --- broken or empty files ----------------------------------------------------------------------------


def test_truncated_zip(sandbox: Path) -> None:
    whole = make_zip(
        sandbox / "archives" / "whole.zip", {f"f{i}.txt": bytes(range(256)) * 40 for i in range(5)}
    )
    archive = sandbox / "archives" / "truncated.zip"
    archive.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    refuse(archive, sandbox, "truncated")


def test_truncated_tar_gz(sandbox: Path) -> None:
    payload = bytes(range(256)) * 400
    whole = make_tar(
        sandbox / "archives" / "whole.tar.gz", [(tar_member(f"f{i}"), payload) for i in range(4)]
    )
    archive = sandbox / "archives" / "truncated.tar.gz"
    archive.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    refuse(archive, sandbox, "truncated")


def test_not_an_archive(sandbox: Path) -> None:
    archive = sandbox / "archives" / "notes.zip"
    archive.write_text("question,answer\nwhat,this\n")
    refuse(archive, sandbox, "not a zip or tar archive")


@pytest.mark.parametrize(
    "build",
    [
        lambda path: make_zip(path / "empty.zip", {}),
        lambda path: make_zip(path / "folders.zip", {"media/": b""}),
        lambda path: make_tar(path / "empty.tar.gz", []),
    ],
)
def test_empty_archive(sandbox: Path, build: Callable[[Path], Path]) -> None:
    refuse(build(sandbox / "archives"), sandbox, "contains no files")


# --- the destination ---------------------------------------------------------------------------------


def test_failure_leaves_an_existing_empty_destination_empty(sandbox: Path) -> None:
    # Good entries come first, so this proves they are removed, not merely never written.
    archive = sandbox / "archives" / "half.zip"
    whole = write_zeros_zip(sandbox / "archives" / "liar.zip", "late.bin", 2 * MIB)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("early/one.txt", b"first good file")
        zf.writestr("early/two.txt", b"second good file")
        zf.writestr(source.infolist()[0], source.read("late.bin"))
    data = bytearray(archive.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last entry's central record
    struct.pack_into("<I", data, central + 24, 1024)
    archive.write_bytes(bytes(data))
    dest = sandbox / "out" / "dest"
    dest.mkdir()
    refuse(archive, sandbox, "corrupt")
    assert list(dest.iterdir()) == []


def test_failure_removes_the_parent_folders_it_created(sandbox: Path) -> None:
    archive = write_zeros_zip(sandbox / "archives" / "late.zip", "late.bin", 2 * MIB)
    patch_zip_sizes(archive, file_size=1024)  # passes the listing, fails its CRC while being written
    with pytest.raises(ArchiveError, match="corrupt"):
        safe_extract(archive, sandbox / "out" / "new" / "deeper" / "dest")
    assert list((sandbox / "out").iterdir()) == []


def test_non_empty_destination_is_refused(sandbox: Path) -> None:
    archive = make_zip(sandbox / "archives" / "ok.zip", {"a.txt": b"a"})
    (sandbox / "out" / "dest").mkdir()
    (sandbox / "out" / "dest" / "keep.txt").write_text("mine")
    with pytest.raises(ArchiveError, match="new or empty folder"):
        safe_extract(archive, sandbox / "out" / "dest")
    assert (sandbox / "out" / "dest" / "keep.txt").read_text() == "mine"


# --- and the good archives still work -----------------------------------------------------------------


def test_good_zip_extracts_every_file(sandbox: Path) -> None:
    text = b"# Lesson\n" + b"Repetition compresses well. " * 4000  # over 100:1, but small
    archive = make_zip(
        sandbox / "archives" / "pack.zip",
        {
            "pack.md": b"---\nid: p\n---\n",
            "lessons/": b"",
            "lessons/a.md": text,
            "media/pic.png": bytes(range(256)),
        },
    )
    dest = safe_extract(archive, sandbox / "out" / "pack")
    assert (dest / "lessons" / "a.md").read_bytes() == text
    assert (dest / "media" / "pic.png").read_bytes() == bytes(range(256))
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "lessons/a.md",
        "media/pic.png",
        "pack.md",
    ]


def test_good_tar_gz_with_dot_slash_names_extracts(sandbox: Path) -> None:
    archive = make_tar(
        sandbox / "archives" / "pack.tgz",
        [
            (tar_member("./", tarfile.DIRTYPE), b""),
            (tar_member("./pack.md"), b"hello"),
            (tar_member("./media/a.svg"), b"<svg/>"),
        ],
    )
    dest = safe_extract(archive, sandbox / "out" / "pack")
    assert (dest / "pack.md").read_bytes() == b"hello"
    assert (dest / "media" / "a.svg").read_bytes() == b"<svg/>"


# --- hostile Anki packages: the archive is fine, what is inside is not --------------------------------


def refuse_apkg(archive: Path, sandbox: Path, *fragments: str) -> str:
    before = snapshot(sandbox)
    with pytest.raises((AnkiImportError, ArchiveError)) as caught:
        read_apkg(archive, sandbox / "out" / "work")
    message = str(caught.value)
    for fragment in fragments:
        assert fragment.casefold() in message.casefold(), message
    assert archive.name in message
    assert snapshot(sandbox) == before
    return message


@pytest.fixture
def good_collection(sandbox: Path) -> bytes:
    return collection_bytes(sandbox / "archives", [deck(5, "Default", [basic_note("front", "back", "g1")])])


def test_apkg_with_a_corrupt_sqlite_collection(sandbox: Path) -> None:
    archive = zip_package(
        sandbox / "archives" / "corrupt.apkg",
        {"collection.anki2": b"this is not SQLite" * 100, "media": b"{}"},
    )
    refuse_apkg(archive, sandbox, "not a readable SQLite database", "re-export")


def test_apkg_with_a_truncated_sqlite_collection(sandbox: Path, good_collection: bytes) -> None:
    archive = zip_package(
        sandbox / "archives" / "truncated.apkg",
        {"collection.anki2": good_collection[: len(good_collection) // 2], "media": b"{}"},
    )
    refuse_apkg(archive, sandbox, "collection", "re-export")


def test_apkg_without_a_collection(sandbox: Path) -> None:
    archive = zip_package(sandbox / "archives" / "nocollection.apkg", {"media": b"{}", "0": b"img"})
    refuse_apkg(archive, sandbox, "has no collection.anki2 or collection.anki21")


def test_apkg_whose_collection_is_missing_tables(sandbox: Path) -> None:
    db_path = sandbox / "archives" / "tables.sqlite"
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE col (id INTEGER PRIMARY KEY, models TEXT)")
        db.commit()
    archive = zip_package(
        sandbox / "archives" / "tables.apkg", {"collection.anki2": db_path.read_bytes(), "media": b"{}"}
    )
    db_path.unlink()
    refuse_apkg(archive, sandbox, "not an Anki collection", "no notes, cards table")


def test_apkg_with_the_newer_collection_schema(sandbox: Path) -> None:
    db_path = sandbox / "archives" / "schema18.sqlite"
    with closing(sqlite3.connect(db_path)) as db:
        for table in ("col", "notes", "cards", "notetypes", "decks", "fields"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        db.commit()
    archive = zip_package(sandbox / "archives" / "schema18.apkg", {"collection.anki21": db_path.read_bytes()})
    db_path.unlink()
    refuse_apkg(archive, sandbox, "newer Anki collection schema", "Support older Anki versions")


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ({"0": "../x"}, "'../x', which contains a path separator"),
        ({"0": "../work-evil/x"}, "contains a path separator"),  # the sibling-prefix trick, via the manifest
        ({"0": "/etc/cron.d/evil"}, "contains a path separator"),
        ({"0": "C:evil.exe"}, "names a Windows drive"),
        ({"0": ".."}, "is not a file name"),
        ({"0": "a\\b.png"}, "contains a path separator"),
        ({"../../../etc/passwd": "passwd.txt"}, "names the package entry '../../../etc/passwd'"),
        ({"0": "dog.png", "1": "DOG.png"}, "names 'DOG.png' twice"),
        ({"0": 7}, "which is not a file name"),
    ],
)
def test_apkg_media_manifest_that_escapes_its_folder(
    sandbox: Path, good_collection: bytes, manifest: dict[str, object], problem: str
) -> None:
    archive = zip_package(
        sandbox / "archives" / "manifest.apkg",
        {
            "collection.anki2": good_collection,
            "media": json.dumps(manifest).encode(),
            "0": b"first",
            "1": b"second",
        },
    )
    refuse_apkg(archive, sandbox, "media manifest", problem)
    assert not (sandbox / "out" / "work-evil").exists()


def test_apkg_media_manifest_naming_a_missing_file(sandbox: Path, good_collection: bytes) -> None:
    archive = zip_package(
        sandbox / "archives" / "missing.apkg",
        {"collection.anki2": good_collection, "media": b'{"0": "here.png", "1": "gone.png"}', "0": b"png"},
    )
    refuse_apkg(archive, sandbox, "'gone.png' (entry '1')", "does not contain it")


def test_apkg_media_manifest_that_is_not_json(sandbox: Path, good_collection: bytes) -> None:
    archive = zip_package(
        sandbox / "archives" / "badjson.apkg", {"collection.anki2": good_collection, "media": b"{not json"}
    )
    refuse_apkg(archive, sandbox, "media manifest is not valid JSON")


def test_apkg_that_is_a_hostile_archive(sandbox: Path, good_collection: bytes) -> None:
    archive = zip_package(
        sandbox / "archives" / "traversal.apkg",
        {"collection.anki2": good_collection, "media": b"{}", "../../evil": b"x"},
    )
    refuse_apkg(archive, sandbox, "'../../evil'", "'..'")
