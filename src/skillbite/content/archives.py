"""Safe extraction of untrusted zip and tar archives (zipped packs, Anki .apkg files).

An archive comes from someone we do not trust, so extraction happens in two passes:

1. The whole listing is checked before a single byte is written: every name must be a plain relative
   path (no absolute path, drive letter, backslash or `..`), only regular files and folders are
   allowed (no symlinks, hard links, devices or fifos), names are unique even ignoring case, and the
   declared sizes, entry count and compression ratios stay within `ArchiveLimits`.
2. Each file is then streamed in 64 KiB chunks while the bytes really written are counted, so a
   header that lies about its size cannot get past the limits, and memory stays bounded.

If anything fails, everything written so far is removed: the destination is left as it was found
(absent, or an empty folder). Containment is checked with `Path.is_relative_to` on resolved paths;
comparing strings with `startswith` lets `/tmp/x-evil` pass as being inside `/tmp/x` (anki#5167).
"""

from __future__ import annotations

import re
import shutil
import stat
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MIB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
_READ_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


class ArchiveError(Exception):
    """The archive is unsafe or unreadable. The message names the archive, the entry and the fix."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may contain. Ratios are uncompressed size over compressed size."""

    max_entries: int = 10_000
    max_total_bytes: int = 512 * MIB
    max_file_bytes: int = 256 * MIB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 * MIB
    """Ratios are only enforced past this many bytes: small text files legitimately compress beyond 100:1."""
    max_depth: int = 32


DEFAULT_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class _Entry:
    name: str
    parts: tuple[str, ...]
    is_dir: bool
    declared_size: int
    compressed_size: int | None
    """Known per entry for zip; None for tar, where only the whole archive's size is known."""
    open_stream: Callable[[], IO[bytes]]


def safe_extract(archive: Path, dest: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> Path:
    """Extract `archive` (.zip, .tar, .tar.gz/.tgz, also .apkg) into `dest` and return `dest`.

    `dest` must not exist or be an empty folder. Raises `ArchiveError` with nothing left in `dest`.
    """
    if not archive.is_file():
        raise ArchiveError(f"{archive}: no such file; check the path")
    created_root = first_missing_folder(dest)
    dest_existed = created_root is None
    if dest_existed and (not dest.is_dir() or any(dest.iterdir())):
        raise ArchiveError(f"{dest}: the destination must be a new or empty folder")
    archive_bytes = archive.stat().st_size
    with _listing(archive, archive_bytes, limits) as entries:
        root = dest.resolve()
        targets = _check_listing(archive.name, entries, root, archive_bytes, limits)
        try:
            dest.mkdir(parents=True, exist_ok=True)
            _write_all(archive.name, entries, targets, archive_bytes, limits)
        except BaseException as exc:
            _remove_written(dest, created_root)
            if isinstance(exc, _READ_ERRORS) and not isinstance(exc, ArchiveError):
                raise ArchiveError(
                    f"{archive.name}: could not be extracted ({exc}); the archive is corrupt or truncated,"
                    " recreate it"
                ) from exc
            raise
    return dest


@contextmanager
def _listing(archive: Path, archive_bytes: int, limits: ArchiveLimits) -> Iterator[list[_Entry]]:
    with archive.open("rb") as probe:
        magic = probe.read(4)
    if zipfile.is_zipfile(archive):
        with _reading(archive.name), zipfile.ZipFile(archive) as zf:
            yield _zip_entries(archive.name, zf, limits)
        return
    if magic.startswith(_ZIP_MAGIC):
        raise ArchiveError(
            f"{archive.name}: looks like a zip file but its table of contents is missing;"
            " it is truncated or corrupt, download or export it again"
        )
    if _is_tar(archive):
        with _reading(archive.name), tarfile.open(archive, "r:*") as tf:
            yield _tar_entries(archive.name, tf, archive_bytes, limits)
        return
    hint = " (it is a truncated or corrupt gzip file)" if magic.startswith(_GZIP_MAGIC) else ""
    raise ArchiveError(
        f"{archive.name}: not a zip or tar archive{hint}; expected .zip, .apkg, .tar or .tar.gz"
    )


@contextmanager
def _reading(archive_name: str) -> Iterator[None]:
    """Turn the many ways a broken archive fails to read into one clear ArchiveError."""
    try:
        yield
    except ArchiveError:
        raise
    except _READ_ERRORS as exc:
        raise ArchiveError(
            f"{archive_name}: could not be read ({exc}); the archive is corrupt or truncated, recreate it"
        ) from exc


def _is_tar(archive: Path) -> bool:
    try:
        return tarfile.is_tarfile(archive)
    except _READ_ERRORS:
        return False


def _zip_entries(archive_name: str, zf: zipfile.ZipFile, limits: ArchiveLimits) -> list[_Entry]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ArchiveError(
            f"{archive_name}: holds {len(infos)} entries, more than the limit of "
            f"{limits.max_entries}; split the content into several archives"
        )
    entries = []
    for info in infos:
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError(
                f"{archive_name}: entry {info.filename!r} is a {_describe_mode(kind)}; only "
                "regular files and folders are allowed, replace it with a copy of the file"
            )
        if info.flag_bits & 0x1:
            raise ArchiveError(
                f"{archive_name}: entry {info.filename!r} is encrypted; "
                "recreate the archive without a password"
            )
        is_dir = info.is_dir()
        parts = _checked_parts(archive_name, info.filename, is_dir, limits)
        if parts is None:
            continue
        entries.append(
            _Entry(info.filename, parts, is_dir, info.file_size, info.compress_size, _zip_opener(zf, info))
        )
    return entries


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: zf.open(info)


def _tar_entries(
    archive_name: str, tf: tarfile.TarFile, archive_bytes: int, limits: ArchiveLimits
) -> list[_Entry]:
    entries: list[_Entry] = []
    count = 0
    declared_total = 0
    # Read headers one at a time, checking before the next header (which decompresses past this member's
    # data), so a million entries or a compressed bomb is refused without being decompressed.
    while (member := tf.next()) is not None:
        count += 1
        if count > limits.max_entries:
            raise ArchiveError(
                f"{archive_name}: holds more than {limits.max_entries} entries; "
                "split the content into several archives"
            )
        if not (member.isreg() or member.isdir()):
            raise ArchiveError(
                f"{archive_name}: entry {member.name!r} is a {_describe_tar(member)}; only "
                "regular files and folders are allowed, replace it with a copy of the file"
            )
        declared_total += member.size
        if declared_total > limits.max_total_bytes:
            raise _too_big(archive_name, limits)
        _check_ratio(archive_name, None, declared_total, archive_bytes, limits)
        parts = _checked_parts(archive_name, member.name, member.isdir(), limits)
        if parts is None:
            continue
        entries.append(_Entry(member.name, parts, member.isdir(), member.size, None, _tar_opener(tf, member)))
    return entries


def _tar_opener(tf: tarfile.TarFile, member: tarfile.TarInfo) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        stream = tf.extractfile(member)
        if stream is None:  # pragma: no cover - only regular files are opened
            raise ArchiveError(f"entry {member.name!r} has no data")
        return stream

    return open_member


def _checked_parts(
    archive_name: str, name: str, is_dir: bool, limits: ArchiveLimits
) -> tuple[str, ...] | None:
    """The entry's path components, or None for the archive's root folder; raise when the name is unsafe."""

    def reject(problem: str) -> ArchiveError:
        return ArchiveError(f"{archive_name}: entry {name!r} {problem}")

    fix = "rebuild the archive with paths relative to its root folder"
    if "\x00" in name:
        raise reject(f"contains a NUL character; {fix}")
    if "\\" in name:
        raise reject("uses backslashes (a Windows path); rebuild the archive with '/' as separator")
    if _DRIVE_LETTER.match(name):
        raise reject(f"names a Windows drive; {fix}")
    if name.startswith("/"):
        raise reject(f"is an absolute path; {fix}")
    parts = tuple(part for part in name.split("/") if part not in ("", "."))
    if ".." in parts:
        raise reject(f"climbs out of the extraction folder with '..'; {fix}")
    if len(parts) > limits.max_depth:
        raise reject(
            f"is nested {len(parts)} folders deep, more than the limit of {limits.max_depth}; "
            "flatten the folder structure"
        )
    if not parts:
        if is_dir:
            return None
        raise reject(f"has an empty file name; {fix}")
    return parts


def _check_listing(
    archive_name: str, entries: list[_Entry], root: Path, archive_bytes: int, limits: ArchiveLimits
) -> list[Path]:
    """Check names, duplicates, sizes and ratios of the whole listing; return each entry's target path."""
    files_by_key: dict[str, str] = {}
    folder_keys: set[str] = set()
    declared_total = 0
    targets = []
    for entry in entries:
        target = root.joinpath(*entry.parts)
        if not target.resolve().is_relative_to(root):
            raise ArchiveError(
                f"{archive_name}: entry {entry.name!r} would be written outside the "
                "extraction folder; rebuild the archive with paths relative to its root"
            )
        targets.append(target)
        folder_keys.update(_same_name_key(entry.parts[:depth]) for depth in range(1, len(entry.parts)))
        key = _same_name_key(entry.parts)
        if entry.is_dir:
            folder_keys.add(key)
            continue
        if key in files_by_key:
            other = files_by_key[key]
            same = (
                "appears twice"
                if other == entry.name
                else f"differs from {other!r} only in letter case or Unicode form"
            )
            raise ArchiveError(
                f"{archive_name}: entry {entry.name!r} {same}; each file must have a unique "
                "name (ignoring case), remove or rename one of them"
            )
        files_by_key[key] = entry.name
        _check_entry_size(archive_name, entry, limits)
        declared_total += entry.declared_size
        if declared_total > limits.max_total_bytes:
            raise _too_big(archive_name, limits)
    for key, name in files_by_key.items():
        if key in folder_keys:
            raise ArchiveError(
                f"{archive_name}: entry {name!r} is both a file and a folder; rename one of them"
            )
    if not files_by_key:
        raise ArchiveError(
            f"{archive_name}: the archive contains no files; check that you exported the right thing"
        )
    _check_ratio(archive_name, None, declared_total, archive_bytes, limits)
    return targets


def _same_name_key(parts: tuple[str, ...]) -> str:
    """Names that macOS or Windows would store as one file: same letters ignoring case and Unicode form."""
    return unicodedata.normalize("NFC", "/".join(parts)).casefold()


def _check_entry_size(
    archive_name: str, entry: _Entry, limits: ArchiveLimits, size: int | None = None
) -> None:
    size = entry.declared_size if size is None else size
    if size > limits.max_file_bytes:
        raise ArchiveError(
            f"{archive_name}: entry {entry.name!r} expands to more than "
            f"{_mib(limits.max_file_bytes)}, the limit for one file; shrink or split it"
        )
    if entry.compressed_size is not None:
        _check_ratio(archive_name, entry.name, size, entry.compressed_size, limits)


def _check_ratio(
    archive_name: str, entry_name: str | None, expanded: int, compressed: int, limits: ArchiveLimits
) -> None:
    if expanded <= limits.ratio_floor_bytes or expanded <= limits.max_ratio * max(compressed, 1):
        return
    where = f"entry {entry_name!r}" if entry_name is not None else "the archive"
    raise ArchiveError(
        f"{archive_name}: {where} expands more than {limits.max_ratio:g} times its compressed "
        "size, which is how zip bombs look; it was not extracted"
    )


def _write_all(
    archive_name: str, entries: list[_Entry], targets: list[Path], archive_bytes: int, limits: ArchiveLimits
) -> None:
    total_written = 0
    for entry, target in zip(entries, targets, strict=True):
        if entry.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        # "xb" never follows or replaces an existing path, so nothing outside `dest` can be reached.
        with entry.open_stream() as source, target.open("xb") as sink:
            while chunk := source.read(CHUNK_BYTES):
                written += len(chunk)
                total_written += len(chunk)
                if written > entry.declared_size:
                    raise ArchiveError(
                        f"{archive_name}: entry {entry.name!r} holds more data than its "
                        "header declares; the archive is corrupt or forged, not extracted"
                    )
                _check_entry_size(archive_name, entry, limits, written)
                if total_written > limits.max_total_bytes:
                    raise _too_big(archive_name, limits)
                _check_ratio(archive_name, None, total_written, archive_bytes, limits)
                sink.write(chunk)


def first_missing_folder(path: Path) -> Path | None:
    """The outermost folder that creating `path` would create, or None when `path` exists.

    Removing it undoes the creation of `path` and of every parent made along the way.
    """
    if path.exists():
        return None
    while not path.parent.exists():
        path = path.parent
    return path


def _remove_written(dest: Path, created_root: Path | None) -> None:
    if created_root is not None:
        shutil.rmtree(created_root, ignore_errors=True)
        return
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _describe_mode(kind: int) -> str:
    names = {
        stat.S_IFLNK: "symbolic link",
        stat.S_IFCHR: "character device",
        stat.S_IFBLK: "block device",
        stat.S_IFIFO: "named pipe (fifo)",
        stat.S_IFSOCK: "socket",
    }
    return names.get(kind, "special file")


def _describe_tar(member: tarfile.TarInfo) -> str:
    if member.issym():
        return f"symbolic link to {member.linkname!r}"
    if member.islnk():
        return f"hard link to {member.linkname!r}"
    if member.ischr():
        return "character device"
    if member.isblk():
        return "block device"
    if member.isfifo():
        return "named pipe (fifo)"
    return "special file"


def _too_big(archive_name: str, limits: ArchiveLimits) -> ArchiveError:
    return ArchiveError(
        f"{archive_name}: expands to more than {_mib(limits.max_total_bytes)}; "
        "split the content or shrink its media"
    )


def _mib(size: int) -> str:
    return f"{size / MIB:g} MiB"
