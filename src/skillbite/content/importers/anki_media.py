"""The media of an Anki package: its manifest, checked, and references to it rewritten as Markdown.

An .apkg stores media as numbered archive entries (`0`, `1`...) and a `media` JSON manifest mapping each
number to the file's real name. Both sides come from the package author, so each name must be a plain
file name (no `/`, `\\`, `..`, drive or NUL), unique ignoring case, and must resolve inside the media
folder (checked with `Path.is_relative_to` on resolved paths, never a string prefix: anki#5167).

Fields reference media as `<img src="x.png">` and `[sound:x.mp3]`; those become `![](media/x.png)` and
`![audio: x.mp3](media/x.mp3)` so the pack renderer treats them like any other lesson media.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from skillbite.content.importers.anki_collection import AnkiImportError

MEDIA_FOLDER = "media"
_DRIVE = re.compile(r"^[A-Za-z]:")
_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))[^>]*>""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_NEEDS_BRACKETS = re.compile(r"[\s()]")


@dataclass(frozen=True)
class MediaFile:
    entry: str
    """The numbered entry inside the package, e.g. `0`."""
    name: str
    """The file's name as the notes reference it, e.g. `tree.png`."""


def read_manifest(package_root: Path, where: str) -> tuple[MediaFile, ...]:
    """The checked manifest of the package extracted at `package_root`; `where` names the package."""
    manifest_path = package_root / "media"
    if not manifest_path.is_file():
        return ()
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnkiImportError(
            f"{where}: the media manifest is not valid JSON ({exc}); the package is "
            "damaged, re-export it from Anki"
        ) from exc
    if not isinstance(manifest, dict):
        raise AnkiImportError(
            f"{where}: the media manifest is not a JSON object of number -> file name; "
            "the package is damaged, re-export it from Anki"
        )
    files: list[MediaFile] = []
    seen: dict[str, str] = {}
    for entry, name in manifest.items():
        _check_name(package_root, entry, where, f"names the package entry {entry!r}")
        if not isinstance(name, str):
            raise AnkiImportError(
                f"{where}: the media manifest maps {entry!r} to {name!r}, which is not a "
                "file name; the package is damaged, re-export it from Anki"
            )
        _check_name(package_root / MEDIA_FOLDER, name, where, f"maps {entry!r} to {name!r}")
        if not (package_root / entry).is_file():
            raise AnkiImportError(
                f"{where}: the media manifest lists {name!r} (entry {entry!r}) but the "
                "package does not contain it; re-export the deck from Anki with its media"
            )
        if name.casefold() in seen:
            raise AnkiImportError(
                f"{where}: the media manifest names {name!r} twice (also as "
                f"{seen[name.casefold()]!r}); rename one of them in Anki and re-export"
            )
        seen[name.casefold()] = name
        files.append(MediaFile(entry, name))
    return tuple(files)


def _check_name(folder: Path, name: str, where: str, what: str) -> None:
    problem = None
    if not name or name in (".", ".."):
        problem = "is not a file name"
    elif "/" in name or "\\" in name:
        problem = "contains a path separator"
    elif "\x00" in name:
        problem = "contains a NUL character"
    elif _DRIVE.match(name):
        problem = "names a Windows drive"
    elif not (folder / name).resolve().is_relative_to(folder.resolve()):
        problem = "resolves outside the media folder"
    if problem:
        raise AnkiImportError(
            f"{where}: the media manifest {what}, which {problem}; media must be plain "
            "file names, the package is damaged or malicious, re-export it from Anki"
        )


def move_media(package_root: Path, pack_root: Path, files: tuple[MediaFile, ...]) -> tuple[str, ...]:
    """Move the media into `pack_root/media/` under their real names; return their pack-relative paths."""
    media_root = pack_root / MEDIA_FOLDER
    media_root.mkdir(parents=True, exist_ok=True)
    for media in files:
        target = media_root / media.name
        if not target.resolve().is_relative_to(media_root.resolve()):  # checked already; never trust twice
            raise AnkiImportError(f"media file {media.name!r} resolves outside the media folder")
        shutil.move(package_root / media.entry, target)
    return tuple(sorted(f"{MEDIA_FOLDER}/{media.name}" for media in files))


def rewrite_media_references(text: str, names: frozenset[str], missing: set[str]) -> str:
    """Rewrite `<img src>` and `[sound:]` references to known media as Markdown; collect unknown names."""

    def image(match: re.Match[str]) -> str:
        name = html.unescape(next(group for group in match.groups() if group is not None))
        if name not in names:
            if "://" not in name and not name.startswith("data:"):
                missing.add(name)
            return match.group(0)
        alt = _ALT.search(match.group(0))
        alt_text = html.unescape(next(g for g in alt.groups() if g is not None)) if alt else ""
        return f"![{_escape_alt(alt_text)}]({markdown_target(name)})"

    def sound(match: re.Match[str]) -> str:
        name = html.unescape(match.group(1))
        if name not in names:
            missing.add(name)
            return match.group(0)
        return f"![audio: {_escape_alt(name)}]({markdown_target(name)})"

    return _SOUND.sub(sound, _IMG.sub(image, text))


def markdown_target(name: str) -> str:
    """The Markdown link destination of a media file: angle brackets when the name has spaces or parens."""
    path = f"{MEDIA_FOLDER}/{name}"
    if "<" in path or ">" in path:
        path = path.replace("<", "%3C").replace(">", "%3E")
    return f"<{path}>" if _NEEDS_BRACKETS.search(path) else path


def _escape_alt(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
