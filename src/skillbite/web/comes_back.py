"""Saying when an item comes back, in the learner's own time zone: "later today", "tomorrow", "in 5 days"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def when_text(due: datetime, now: datetime, tz: str) -> str:
    zone = ZoneInfo(tz)
    local_due, local_now = due.astimezone(zone), now.astimezone(zone)
    days = (local_due.date() - local_now.date()).days
    if due <= now:
        return "now"
    if days <= 0:
        return f"later today, at {local_due:%H:%M}"
    if days == 1:
        return "tomorrow"
    if days < 60:
        return f"in {days} days ({local_due:%a %-d %b})"
    return f"in about {round(days / 30)} months ({local_due:%-d %b %Y})"
