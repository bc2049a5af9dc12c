"""Small sources for the importers, built in the test's folder: a tldr-pages tarball, CSV files, an .apkg."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from tests.content.anki_packages import Review, basic_note, build_apkg, cloze_note, deck

TLDR_PAGES = {
    "pages/common/tar.md": """# tar

> Archiving utility.
> More information: <https://www.gnu.org/software/tar>.

- Create an archive from files:

`tar cf {{path/to/target.tar}} {{path/to/file1 path/to/file2 ...}}`

- Extract an archive in the current directory:

`tar xf {{path/to/source.tar}}`
""",
    "pages/common/git-status.md": """# git status

> Show the changes to files in a Git repository.

- Show changed files which are not yet added for commit:

`git status`

- Give output in short format:

`git status {{[-s|--short]}}`
""",
    "pages/linux/apt.md": """# apt

> Package management utility for Debian based distributions.

- Update the list of available packages and versions:

`sudo apt update`

- Search for a given package:

`apt search {{package}}`

- Install a package, or update it to the latest available version:

`sudo apt install {{package}}`
""",
}

ANKI_MEDIA = {"dog.png": b"\x89PNG fake dog", "perro.mp3": b"ID3 fake perro"}


def tldr_tarball(path: Path, pages: dict[str, str] = TLDR_PAGES, top: str = "tldr-main") -> Path:
    """A .tar.gz of a tldr-pages checkout with `pages` (under a top folder, as GitHub makes them)."""
    with tarfile.open(path, "w:gz") as archive:
        for name, text in pages.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def good_csv(path: Path) -> Path:
    path.write_text(
        "question,answer,explanation,tags\n"
        "What does HTTP 404 mean?,Not Found,The server has no resource at that URL.,http\n"
        "What does HTTP 503 mean?,Service Unavailable,,http ops\n"
        '"Which port does HTTPS use, by default?",443,,\n',
        encoding="utf-8",
    )
    return path


def malformed_csv(path: Path) -> Path:
    path.write_text(
        "question,answer\nWhat is 2+2?,4\nA row with one column only\nWhat is 3+3?,6\n",
        encoding="utf-8",
    )
    return path


def spanish_apkg(path: Path, reviews: tuple[Review, ...] = ()) -> Path:
    decks = [
        deck(
            2001,
            "Spanish",
            [
                basic_note('perro <img src="dog.png">', "dog [sound:perro.mp3]", "note-perro", ["es"]),
                basic_note("gato", "cat", "note-gato"),
                cloze_note("{{c1::Madrid}} is the capital of Spain.", "", "note-madrid"),
            ],
        ),
    ]
    return build_apkg(path, decks, media=ANKI_MEDIA, reviews=reviews)
