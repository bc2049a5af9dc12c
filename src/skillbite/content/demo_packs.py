"""The demo curriculum shipped with skillbite: three micro-courses loaded by `make run`."""

from __future__ import annotations

from pathlib import Path

DEMO_ROOT = Path(__file__).parent / "demo"


def demo_pack_paths() -> list[Path]:
    """Folders of the demo packs, in a stable order."""
    return sorted(p for p in DEMO_ROOT.iterdir() if (p / "pack.md").is_file())
