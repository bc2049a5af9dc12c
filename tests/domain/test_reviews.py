"""The review log's rules: validation with actionable errors, idempotence by uuid, JSON round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.reviews import (
    Grade,
    InvalidReviewError,
    Review,
    ReviewDict,
    in_time_order,
    review_from_dict,
    review_to_dict,
    same_review,
)

AT = datetime(2026, 2, 3, 8, 15, tzinfo=UTC)


def review(n: int, at: datetime = AT, grade: Grade = Grade.GOOD) -> Review:
    return Review(
        uuid=UUID(int=n),
        org=OrgId(3),
        learner=UserId(9),
        item=ItemId("tar-extract"),
        reviewed_at=at,
        tz="Europe/Paris",
        answer={"typed": "tar -xf archive.tar", "choices": [1, 2]},
        correct=True,
        response_ms=7_400,
        grade=grade,
        params_version="fsrs6-default",
    )


def test_json_round_trip_keeps_every_field() -> None:
    original = review(1)
    assert review_from_dict(review_to_dict(original)) == original


def test_offsets_are_converted_to_utc_on_parse() -> None:
    data = review_to_dict(review(1))
    data["reviewed_at"] = AT.astimezone(timezone(timedelta(hours=1))).isoformat()
    parsed = review_from_dict(data)
    assert parsed.reviewed_at == AT and parsed.reviewed_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uuid", "not-a-uuid", "field uuid"),
        ("reviewed_at", "yesterday", "field reviewed_at"),
        ("reviewed_at", "2026-02-03T08:15:00", "has no time zone"),
        ("grade", 5, "field grade"),
        ("tz", "Paris", "field tz"),
        ("response_ms", -1, "field response_ms"),
    ],
)
def test_invalid_fields_are_named(field: str, value: object, message: str) -> None:
    data = dict(review_to_dict(review(1)))
    data[field] = value
    with pytest.raises(InvalidReviewError, match=message):
        review_from_dict(ReviewDict(**data))  # type: ignore[typeddict-item]


def test_replay_is_a_no_op_and_a_changed_body_is_refused() -> None:
    first, later = review(1), review(2, AT + timedelta(days=3))
    assert same_review(first, review(1))
    assert in_time_order([later, first, review(1)]) == [first, later]
    with pytest.raises(InvalidReviewError, match="different body"):
        in_time_order([first, review(1, grade=Grade.AGAIN)])


def test_ties_in_time_are_broken_by_uuid() -> None:
    a, b = review(5), review(4)
    assert in_time_order([a, b]) == [b, a] == in_time_order([b, a])
