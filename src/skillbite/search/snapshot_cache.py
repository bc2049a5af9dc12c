"""Keeping each organisation's `OrgSnapshot` in memory until its index changes.

One cache per database engine (held weakly: when the engine goes, its snapshots go). Before using a
snapshot, a query reads the organisation's *fingerprint*: the number and highest id of its indexed
documents plus its per-pack statistics rows. Every import deletes and re-inserts a pack's documents, and
ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so any change to the index changes
the fingerprint, whichever process made it. Writes through this process also drop the snapshot at once
(`invalidate`), which covers the one case ids can repeat: an SQLite transaction rolled back after a
snapshot was built from its uncommitted rows.

Data derived from a snapshot (the semantic stage's passage vectors) is kept *beside* it with `companion`:
it lives exactly as long as the snapshot, so a changed index drops both. `snapshot_holding(candidate)` finds
the snapshot a ranked candidate came from, for stages that only see the ranked candidates.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from sqlalchemy import Connection, Engine, text

from skillbite.domain.ids import OrgId
from skillbite.search.ranking import Candidate
from skillbite.search.snapshot import OrgSnapshot

T = TypeVar("T")

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
    _register(snapshot, conn.engine, org_id)
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


# Candidates are registered by identity: while a snapshot lives, so do its candidates, so their ids stay
# unique; when the snapshot is collected its entries vanish (weak values).
_by_candidate: weakref.WeakValueDictionary[int, OrgSnapshot] = weakref.WeakValueDictionary()
_companions: weakref.WeakKeyDictionary[OrgSnapshot, dict[str, object]] = weakref.WeakKeyDictionary()
_origins: weakref.WeakKeyDictionary[OrgSnapshot, tuple[weakref.ref[Engine], OrgId]] = (
    weakref.WeakKeyDictionary()
)
_registry_lock = threading.Lock()


def _register(snapshot: OrgSnapshot, engine: Engine, org_id: OrgId) -> None:
    with _registry_lock:
        for candidate in snapshot.candidates:
            _by_candidate[id(candidate)] = snapshot
        _origins[snapshot] = (weakref.ref(engine), org_id)


def snapshot_origin(snapshot: OrgSnapshot) -> tuple[Engine, OrgId] | None:
    """The engine and organisation a cached snapshot was built from (None once the engine is gone)."""
    with _registry_lock:
        origin = _origins.get(snapshot)
    if origin is None:
        return None
    engine = origin[0]()
    return None if engine is None else (engine, origin[1])


def snapshot_holding(candidate: Candidate) -> OrgSnapshot | None:
    """The cached snapshot `candidate` belongs to (None for candidates read from the database's full-text
    index, which large organisations use)."""
    with _registry_lock:
        return _by_candidate.get(id(candidate))


def companion(snapshot: OrgSnapshot, key: str, build: Callable[[], T]) -> T:
    """The value stored beside `snapshot` under `key`, built by `build()` the first time (outside any lock:
    building may take long; two threads may both build, one result is kept)."""
    with _registry_lock:
        stored = _companions.setdefault(snapshot, {})
        if key in stored:
            return stored[key]  # type: ignore[return-value]
    value = build()
    with _registry_lock:
        return _companions.setdefault(snapshot, {}).setdefault(key, value)  # type: ignore[return-value]


def peek_companion(snapshot: OrgSnapshot, key: str) -> object | None:
    """The value stored beside `snapshot` under `key`, or None when it has not been built."""
    with _registry_lock:
        return _companions.get(snapshot, {}).get(key)


def cached_snapshot(engine: Engine, org_id: OrgId) -> OrgSnapshot | None:
    """The organisation's snapshot as cached now, without checking it is current (None when not built)."""
    cache = _cache_for(engine)
    with cache.lock:
        entry = cache.entries.get(org_id)
    return None if entry is None else entry[1]
