"""Derived per-learner views (mastery, skill map, progress, Today numbers, catalogue progress), kept
in-process between requests and never stale.

An entry is keyed by what it is, whose it is, the learner's watermark (services/watermarks: their log, states,
parameters, settings, goals, the organisation's policy and content version, and how many states are due) and
the time step it was computed in. A write on any path moves the watermark, so the next view computes afresh.
What depends on the time itself is handled in two ways: a change at a boundary of the learner's day (Today's
study day, Progress's dates) is part of the key (`day`), so it shows at the boundary; continuous change
(recall decaying between reviews) is reused for at most one time step (five minutes), whose decay is far
below the precision the pages show (whole percents of mastery, tenths of an item remembered).

Reading the watermark is one transaction of a few indexed queries, much cheaper than the views it saves (each
folds the learner's whole review log). The cache is per process: with several server processes each keeps
its own, and since keys come from the database, a write made by another process (the CLI, a worker)
invalidates just the same.

Organisation-wide data derived from content alone (the skill graph, its titles) is kept by content version.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from skillbite.services.clock import Clock
from skillbite.services.principal import Principal
from skillbite.services.view_cache import LruCache
from skillbite.services.watermarks import ContentVersion, LearnerWatermark, content_version, learner_watermark
from skillbite.store.database import Database

V = TypeVar("V")

TIME_STEP = timedelta(minutes=5)
"""A view that depends on the time is reused within the five minutes it was computed in, no longer. Each
learner's five minutes start at a different second, so that views do not all expire at once."""
MAX_LEARNER_VIEWS = 2048
"""Six kinds of view per learner (a pack page per pack): a few hundred learners at once, each view a few
kilobytes to a few tens (a skill map of a few hundred skills)."""
MAX_DERIVED_VIEWS = 512
"""Rendered HTML of the heaviest pages (skill map, progress, pack), up to some 50 KB each."""
MAX_ORG_VIEWS = 256


def time_bucket(now: datetime, user_id: int, step: timedelta = TIME_STEP) -> int:
    """Which step of time `now` falls in, for this learner (each learner's steps are shifted by a few
    seconds: a whole class's views expiring in the same second would all be recomputed in that second)."""
    seconds = step.total_seconds()
    return int((now.timestamp() + (user_id * 7919) % seconds) // seconds)


class LearnerViewCache:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        max_learner_views: int = MAX_LEARNER_VIEWS,
        max_derived_views: int = MAX_DERIVED_VIEWS,
        max_org_views: int = MAX_ORG_VIEWS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.learner_views: LruCache[Hashable, Any] = LruCache(max_learner_views)
        self.org_views: LruCache[Hashable, Any] = LruCache(max_org_views)
        self.derived_views: LruCache[Hashable, tuple[object, Any]] = LruCache(max_derived_views)

    def watermark(self, principal: Principal, now: datetime) -> LearnerWatermark:
        with self.db.transaction() as session:
            return learner_watermark(session, principal.org_id, principal.user_id, now)

    def view(
        self,
        kind: Hashable,
        principal: Principal,
        compute: Callable[[LearnerWatermark], V],
        *,
        prepare: Callable[[LearnerWatermark], bool] | None = None,
        day: Callable[[LearnerWatermark, datetime], Hashable] | None = None,
    ) -> V:
        """The learner's view `kind`, computed by `compute` unless an equal one is kept. `kind` must name the
        view and every argument it depends on besides the learner (e.g. `("pack", pack_key)`).

        `day` gives, for a view that changes at a boundary of the learner's day (Today's study day, the local
        date of Progress), that day: part of the key, so the view changes at the boundary itself, not up to
        a time step later.

        `prepare` makes, before computing, the writes that computing would make (a default profile created
        on the first read of the settings), and says whether it made any: otherwise the first value could
        never be kept, since the write moves the watermark while it is computed."""
        now = self.clock()

        def key_of(mark: LearnerWatermark) -> Hashable:
            today = day(mark, now) if day is not None else None
            return (
                kind,
                principal.org_id,
                principal.user_id,
                time_bucket(now, principal.user_id),
                today,
                mark,
            )

        mark = self.watermark(principal, now)
        key = key_of(mark)
        found = self.learner_views.get(key)
        if found is not None:
            return cast(V, found)
        if prepare is not None and prepare(mark):
            mark = self.watermark(principal, now)
            key = key_of(mark)
            found = self.learner_views.get(key)
            if found is not None:
                return cast(V, found)
        value = compute(mark)
        # Keep it only if nothing was written while it was computed (the value may already show the write,
        # and must not be served under the older key).
        if self.watermark(principal, now) == mark:
            self.learner_views.put(key, value)
        return value

    def org_view(self, kind: Hashable, org_id: int, version: ContentVersion, compute: Callable[[], V]) -> V:
        """Organisation-wide data derived from content alone (e.g. the skill graph), kept per content
        version."""
        key = (kind, org_id, version)
        found = self.org_views.get(key)
        if found is not None:
            return cast(V, found)
        value = compute()
        with self.db.transaction() as session:
            if content_version(session, org_id) == version:
                self.org_views.put(key, value)
        return value

    def derived(self, kind: Hashable, source: object, compute: Callable[[], V]) -> V:
        """A value computed from a kept view alone (e.g. its drawing rendered as HTML), kept for as long as
        the view itself is served: looked up by the view object's identity, so a recomputed view gets a fresh
        one. `compute` must depend on nothing but `source` and constants."""
        key = (kind, id(source))
        found = self.derived_views.get(key)
        if found is not None and found[0] is source:
            return cast(V, found[1])
        value = compute()
        # The entry holds `source` itself, so its id cannot be reused by another object while it is kept.
        self.derived_views.put(key, (source, value))
        return value

    def clear(self) -> None:
        self.learner_views.clear()
        self.org_views.clear()
        self.derived_views.clear()
