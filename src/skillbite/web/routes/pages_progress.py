"""Progress: reviews per day over the last 30 days, retention per week, and a 30-day forecast of what will
be remembered, as SVG charts drawn on the server, each with a table that says the same in text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from skillbite.services.progress import ProgressView
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)

CHART_WIDTH = 600
CHART_HEIGHT = 200
PAD_LEFT = 40
PAD_BOTTOM = 24
PAD_TOP = 12
PAD_RIGHT = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    base_y: float


@dataclass(frozen=True)
class LineChart:
    points: str
    """SVG `points` of the polyline."""
    area: str
    """SVG path of the area under the line."""
    ticks: tuple[Tick, ...]
    x_labels: tuple[tuple[float, str], ...]
    base_y: float


def _plot_height() -> float:
    return CHART_HEIGHT - PAD_TOP - PAD_BOTTOM


def _nice_top(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def _ticks(top: float, fmt: str = "{:g}") -> tuple[Tick, ...]:
    """Gridlines at 0, the middle and the top; the middle only when it is a whole number (no 2.5 reviews)."""
    shares = (0.0, 0.5, 1.0) if (top / 2).is_integer() else (0.0, 1.0)
    return tuple(Tick(PAD_TOP + _plot_height() * (1 - share), fmt.format(top * share)) for share in shares)


def bar_chart(
    values: Sequence[float], labels: Sequence[str], *, top: float | None = None, fmt: str = "{:g}"
) -> BarChart:
    top = top if top is not None else _nice_top(max(values, default=0))
    slot = (CHART_WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(values))
    base = CHART_HEIGHT - PAD_BOTTOM
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = _plot_height() * min(value, top) / top
        bars.append(
            Bar(
                x=round(PAD_LEFT + index * slot + slot * 0.15, 1),
                y=round(base - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value_text=fmt.format(value),
            )
        )
    return BarChart(tuple(bars), _ticks(top, fmt), base)


def line_chart(values: Sequence[float], x_labels: dict[int, str], *, top: float | None = None) -> LineChart:
    top = top if top is not None else _nice_top(max(values, default=0))
    base = CHART_HEIGHT - PAD_BOTTOM
    step = (CHART_WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(values) - 1)
    coords = [
        (round(PAD_LEFT + i * step, 1), round(base - _plot_height() * min(v, top) / top, 1))
        for i, v in enumerate(values)
    ]
    points = " ".join(f"{x},{y}" for x, y in coords)
    area = f"M {PAD_LEFT},{base} " + " ".join(f"L {x},{y}" for x, y in coords)
    area += f" L {coords[-1][0]},{base} Z" if coords else ""
    return LineChart(
        points,
        area,
        _ticks(top),
        tuple((round(PAD_LEFT + i * step, 1), label) for i, label in sorted(x_labels.items())),
        base,
    )


@router.get("/learn/progress", response_class=HTMLResponse)
def progress(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    view = system.progress.of_learner(principal)
    templates: Jinja2Templates = request.app.state.templates
    body = system.views.derived("progress-html", view, lambda: progress_html(templates, view))
    return render(request, "learn/progress.html", principal=principal, body=body)


def progress_html(templates: Jinja2Templates, view: ProgressView) -> Markup:
    """The three charts and their tables as HTML: a function of the view alone, so it is kept with it."""
    days = view.reviews_per_day
    per_day = bar_chart([d.reviews for d in days], [d.day.strftime("%a %d %b") for d in days])
    weeks = view.retention_per_week
    retention = bar_chart(
        [100 * (w.share or 0) for w in weeks],
        [f"Week of {w.week_start.strftime('%d %b')}" for w in weeks],
        top=100,
        fmt="{:.0f}",
    )
    forecast = line_chart(
        [f.remembered for f in view.forecast],
        {0: "today", 10: "+10 d", 20: "+20 d", 30: "+30 d"},
        top=_nice_top(view.items) if view.items else 1,
    )
    return Markup(  # noqa: S704 - rendered by the autoescaping environment
        templates.get_template("learn/_progress_body.html").render(
            view=view,
            per_day=per_day,
            retention=retention,
            forecast=forecast,
            total_reviews=sum(d.reviews for d in days),
            chart={
                "width": CHART_WIDTH,
                "height": CHART_HEIGHT,
                "left": PAD_LEFT,
                "right": CHART_WIDTH - PAD_RIGHT,
            },
        )
    )
