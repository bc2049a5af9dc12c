"""Desired retention: org tag override > learner setting > org default > 0.9, all within [0.7, 0.97]."""

from __future__ import annotations

import pytest

from skillbite.domain.retention_policy import (
    DEFAULT_RETENTION,
    OrgRetentionSettings,
    RetentionOutOfRangeError,
    RetentionSource,
    desired_retention,
)

ORG = OrgRetentionSettings(default=0.85, by_tag={"safety": 0.95, "compliance": 0.93, "trivia": 0.75})


def test_built_in_default_when_nobody_set_anything() -> None:
    resolved = desired_retention(["git"], None, OrgRetentionSettings())
    assert (resolved.value, resolved.source) == (DEFAULT_RETENTION, RetentionSource.BUILT_IN)


def test_org_default_applies_when_the_learner_has_no_setting() -> None:
    resolved = desired_retention(["git"], None, ORG)
    assert (resolved.value, resolved.source) == (0.85, RetentionSource.ORG_DEFAULT)


def test_learner_setting_beats_org_default() -> None:
    resolved = desired_retention(["git"], 0.8, ORG)
    assert (resolved.value, resolved.source) == (0.8, RetentionSource.LEARNER)


def test_tag_override_beats_learner_setting_even_when_lower() -> None:
    resolved = desired_retention(["trivia"], 0.9, ORG)
    assert (resolved.value, resolved.source, resolved.tag) == (0.75, RetentionSource.ORG_TAG, "trivia")


def test_highest_matching_tag_wins() -> None:
    resolved = desired_retention(["compliance", "safety", "trivia", "git"], 0.8, ORG)
    assert (resolved.value, resolved.tag) == (0.95, "safety")


@pytest.mark.parametrize("value", [0.5, 0.69, 0.98, 1.0])
def test_learner_setting_out_of_range_is_refused(value: float) -> None:
    with pytest.raises(RetentionOutOfRangeError, match="learner retention setting"):
        desired_retention([], value, OrgRetentionSettings())


def test_org_settings_out_of_range_name_the_tag() -> None:
    with pytest.raises(RetentionOutOfRangeError, match="'safety'"):
        OrgRetentionSettings(by_tag={"safety": 0.99})
    with pytest.raises(RetentionOutOfRangeError, match="organisation default"):
        OrgRetentionSettings(default=0.6)


@pytest.mark.parametrize("value", [0.7, 0.97])
def test_bounds_are_inclusive(value: float) -> None:
    assert desired_retention([], value, OrgRetentionSettings()).value == value
