"""Progress: reviews per local day, retention per week, the 30-day recall forecast: charts and tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from skillbite.domain.memory import DEFAULT_PARAMS, MemoryState, retrievability
from skillbite.services.learner_settings import LearnerSettingsChange
from skillbite.services.principal import Principal
from skillbite.services.progress import recall_forecast, retention_per_week, reviews_per_day
from skillbite.web.routes.pages_progress import bar_chart
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.services.learning_helpers import PASSWORD, import_demo, items_of, submission

PARIS = ZoneInfo("Europe/Paris")


def test_reviews_are_counted_on_the_learners_local_day() -> None:
    # 23:30 UTC on 1 March is 00:30 on 2 March in Paris.
    times = [datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]
    days = reviews_per_day(times, date(2026, 3, 2), PARIS)
    assert len(days) == 30 and days[-1].day == date(2026, 3, 2) and days[0].day == date(2026, 2, 1)
    assert days[-1].reviews == 2 and sum(d.reviews for d in days) == 2
    assert reviews_per_day(times, date(2026, 3, 2), ZoneInfo("UTC"))[-2].reviews == 1


def test_retention_is_the_share_recalled_per_week_starting_monday() -> None:
    monday = datetime(2026, 2, 23, 12, tzinfo=UTC)
    answers = [(monday, True), (monday + timedelta(days=2), False), (monday + timedelta(days=7), True)]
    weeks = {w.week_start: w for w in retention_per_week(answers, date(2026, 3, 2), ZoneInfo("UTC"))}
    assert weeks[date(2026, 2, 23)].share == 0.5
    assert weeks[date(2026, 3, 2)].share == 1.0
    assert weeks[date(2026, 2, 16)].share is None, "a week without reviews has no share, not 0%"
    assert min(weeks) <= date(2026, 2, 1) and all(w.weekday() == 0 for w in weeks)


def test_the_forecast_sums_recall_and_only_falls_without_reviews() -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    states = [
        MemoryState(
            stability=s, difficulty=5.0, due=now, last_review=now - timedelta(days=1), reps=1, lapses=0
        )
        for s in (0.5, 3.0, 40.0)
    ]
    forecast = recall_forecast(states, now, DEFAULT_PARAMS)
    assert [f.days_ahead for f in forecast] == list(range(31))
    assert forecast[0].remembered == pytest.approx(sum(retrievability(s, now) for s in states))
    assert all(a.remembered > b.remembered for a, b in pairwise(forecast))
    assert 0 < forecast[-1].remembered < len(states)


def test_bars_stay_inside_the_chart_and_scale_to_the_largest_value() -> None:
    chart = bar_chart([0, 3, 7], ["a", "b", "c"])
    assert chart.bars[0].height == 0
    assert chart.bars[2].height > chart.bars[1].height > 0
    assert all(b.y >= 0 and b.y + b.height == pytest.approx(chart.base_y) for b in chart.bars)


@pytest.fixture
def member(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    principal = system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal
    import_demo(system, principal)
    return user, principal


def test_the_page_shows_each_chart_with_its_text_alternative(
    member: tuple[WebUser, Principal], system: System, clock: FakeClock
) -> None:
    user, principal = member
    empty = user.client.get("/learn/progress")
    assert empty.status_code == 200
    assert "0 reviews in the last 30 days" in empty.text and "Nothing studied yet" in empty.text

    system.learner_settings.update(principal, LearnerSettingsChange(timezone="Europe/Paris"))
    items = items_of(system, principal)[:5]
    three_days_ago = clock() - timedelta(days=3)
    system.reviews.submit(
        principal, [submission(i, three_days_ago, right=n != 0) for n, i in enumerate(items)]
    )
    system.reviews.submit(principal, [submission(items[0], clock())])

    page = user.client.get("/learn/progress").text
    assert "6 reviews in the last 30 days" in page and "Europe/Paris" in page
    for chart in ("reviews-chart", "retention-chart", "forecast-chart"):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', page, re.S)
        assert svg and 'role="img"' in svg.group(0) and "<title" in svg.group(0), chart
    day = (three_days_ago.astimezone(ZoneInfo("Europe/Paris"))).strftime("%a %d %b")
    assert re.search(rf"<th scope=\"row\">{day}</th><td>5</td>", page)
    assert re.search(r"Of the 5 items you have studied, you would recall about\s+5 today", page)
    assert "style=" not in page and "<script>" not in page
