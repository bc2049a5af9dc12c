"""Keeping each organisation's `OrgSnapshot` in memory until its index changes.

One cache per database engine (held weakly: when the engine goes, its snapshots go). Before using a
snapshot, a query reads the organisation's *fingerprint*: the number and highest id of its indexed
documents plus its per-pack statistics rows. Every import deletes and re-inserts a pack's documents, and
ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so any change to the index changes
the fingerprint, whichever process made it. Writes through this process also drop the snapshot at once
(`invalidate`), which covers the one case ids can repeat: an SQLite transaction rolled back after a
snapshot was built from its uncommitted rows.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from sqlalchemy import Connection, Engine, text

from skillbite.domain.ids import OrgId
from skillbite.search.ranking import Candidate
from skillbite.search.snapshot import OrgSnapshot

MAX_ORGANISATIONS = 16
"""Snapshots kept per engine, least recently used dropped first (one tldr-sized organisation: ~100 MB)."""

_FINGERPRINT_DOCUMENTS = text("SELECT COUNT(*), MAX(id) FROM search_documents WHERE org_id = :org")
_FINGERPRINT_PACKS = text(
    "SELECT pack_id, document_count, title_length, body_length, examples_length, commands_length "
    "FROM search_packs WHERE org_id = :org ORDER BY pack_id"
)


def fingerprint(conn: Connection, org_id: OrgId) -> Hashable:
    count, highest = conn.execute(_FINGERPRINT_DOCUMENTS, {"org": org_id}).one()
    packs = tuple(tuple(row) for row in conn.execute(_FINGERPRINT_PACKS, {"org": org_id}))
    return (int(count), highest, packs)


class _EngineSnapshots:
    def __init__(self) -> None:
        self.entries: OrderedDict[OrgId, tuple[Hashable, OrgSnapshot]] = OrderedDict()
        self.lock = threading.Lock()


_caches: weakref.WeakKeyDictionary[Engine, _EngineSnapshots] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_for(engine: Engine) -> _EngineSnapshots:
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = _EngineSnapshots()
        return cache


def snapshot_for(
    conn: Connection, org_id: OrgId, load: Callable[[], Sequence[Candidate]], max_documents: int
) -> OrgSnapshot | None:
    """The organisation's snapshot, rebuilt with `load()` when its fingerprint has changed; None when the
    organisation has more than `max_documents` documents (the database's full-text index serves it)."""
    cache = _cache_for(conn.engine)
    current = fingerprint(conn, org_id)
    if current[0] > max_documents:  # type: ignore[index]
        return None
    with cache.lock:
        entry = cache.entries.get(org_id)
        if entry is not None and entry[0] == current:
            cache.entries.move_to_end(org_id)
            return entry[1]
    snapshot = OrgSnapshot(load())
    with cache.lock:
        cache.entries[org_id] = (current, snapshot)
        cache.entries.move_to_end(org_id)
        while len(cache.entries) > MAX_ORGANISATIONS:
            cache.entries.popitem(last=False)
    return snapshot


def invalidate(conn: Connection, org_id: OrgId) -> None:
    """Forget the organisation's snapshot (called by every write to its index)."""
    cache = _cache_for(conn.engine)
    with cache.lock:
        cache.entries.pop(org_id, None)
