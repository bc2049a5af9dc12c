"""Desired retention: the recall probability at which an item comes back for review.

Precedence, highest first (docs/learning-engine.md, "Desired retention"):
1. an organisation override for one of the item's content tags (several matching tags: the highest wins,
   because a tag override exists to protect something, e.g. `safety` at 0.95);
2. the learner's own setting;
3. the organisation's default;
4. 0.9, the FSRS default.
Every value must lie in [0.7, 0.97]: below 0.7 the learner forgets most items between reviews, above 0.97
the review load grows steeply (intervals shrink about tenfold from 0.9 to 0.99) for little gain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.7
MAX_RETENTION = 0.97


class RetentionSource(StrEnum):
    ORG_TAG = "org_tag"
    LEARNER = "learner"
    ORG_DEFAULT = "org_default"
    BUILT_IN = "built_in"


class RetentionOutOfRangeError(ValueError):
    """A desired retention outside [0.7, 0.97]; the message names the setting and the allowed range."""


def check_retention(value: float, where: str) -> float:
    """Return `value` if it is an allowed desired retention, else raise naming `where` (the setting)."""
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise RetentionOutOfRangeError(
            f"{where}: desired retention {value} is outside [{MIN_RETENTION}, {MAX_RETENTION}]; "
            f"choose e.g. {DEFAULT_RETENTION} (the default) or 0.95 for safety-critical content"
        )
    return value


@dataclass(frozen=True)
class OrgRetentionSettings:
    default: float | None = None
    by_tag: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.default is not None:
            check_retention(self.default, "organisation default retention")
        for tag, value in self.by_tag.items():
            check_retention(value, f"organisation retention for tag {tag!r}")


@dataclass(frozen=True)
class ResolvedRetention:
    value: float
    source: RetentionSource
    tag: str | None = None
    """The tag whose override applied, when `source` is ORG_TAG."""


def desired_retention(
    item_tags: Iterable[str], learner_setting: float | None, org: OrgRetentionSettings
) -> ResolvedRetention:
    """The desired retention for one item of one learner, and where it came from (for the UI to explain)."""
    overrides = [(org.by_tag[tag], tag) for tag in set(item_tags) if tag in org.by_tag]
    if overrides:
        value, tag = max(overrides)
        return ResolvedRetention(value, RetentionSource.ORG_TAG, tag)
    if learner_setting is not None:
        return ResolvedRetention(
            check_retention(learner_setting, "learner retention setting"), RetentionSource.LEARNER
        )
    if org.default is not None:
        return ResolvedRetention(org.default, RetentionSource.ORG_DEFAULT)
    return ResolvedRetention(DEFAULT_RETENTION, RetentionSource.BUILT_IN)
