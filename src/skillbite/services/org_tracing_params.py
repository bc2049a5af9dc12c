"""Which knowledge-tracing parameters an organisation's mastery estimates use: its newest adopted set
(`org_tracing_params`, written by the fit job in services/tracing_jobs.py), or the shipped defaults.

One small indexed query per estimate finds the newest set's row id; the parsed set is kept per process by that
id, so parsing a few hundred skills' terms happens once per adoption, not once per request. A row id is never
reused for other content (rows are only added), so a cached set is never stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillbite.domain.knowledge_tracing import DEFAULT_TRACING_PARAMS, TracingParams
from skillbite.domain.mastery import MasteryParams
from skillbite.domain.tracing_params_json import TracingParamsFormatError, tracing_params_from_dict
from skillbite.store.tables.learning import OrgTracingParamsRow

MAX_CACHED_SETS = 64
"""Parsed parameter sets kept per process (one per active organisation is enough)."""

_cache: OrderedDict[int, TracingParams] = OrderedDict()
_lock = threading.Lock()


def adopted_row_id(session: Session, org_id: int) -> int | None:
    """The id of the organisation's newest adopted set, or None while it uses the defaults."""
    query = (
        select(OrgTracingParamsRow.id)
        .where(OrgTracingParamsRow.org_id == org_id)
        .order_by(OrgTracingParamsRow.version.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def org_tracing_params(session: Session, org_id: int) -> TracingParams:
    """The organisation's adopted tracing parameters (the defaults when it has none, or when its stored set
    was written by an incompatible version: the next fit replaces it)."""
    row_id = adopted_row_id(session, org_id)
    if row_id is None:
        return DEFAULT_TRACING_PARAMS
    with _lock:
        cached = _cache.get(row_id)
        if cached is not None:
            _cache.move_to_end(row_id)
            return cached
    row = session.get(OrgTracingParamsRow, row_id)
    assert row is not None and row.org_id == org_id
    try:
        params = tracing_params_from_dict(row.params)
    except TracingParamsFormatError:
        params = DEFAULT_TRACING_PARAMS
    with _lock:
        _cache[row_id] = params
        while len(_cache) > MAX_CACHED_SETS:
            _cache.popitem(last=False)
    return params


def org_mastery_params(session: Session, org_id: int) -> MasteryParams:
    """`MasteryParams` with the organisation's tracing parameters (everything else at its default)."""
    params = org_tracing_params(session, org_id)
    return MasteryParams() if params is DEFAULT_TRACING_PARAMS else MasteryParams(tracing=params)
