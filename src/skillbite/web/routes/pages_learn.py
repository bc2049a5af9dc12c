"""Today: start a 2, 5 or 10-minute session, what is due, streak, XP, the daily-goal ring and the ask box.
Also the service worker, served from the site root so that it may control every page."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.pages import render
from skillbite.web.session_steps import format_steps, play_url, steps_of_session

router = APIRouter(include_in_schema=False)

SESSION_MINUTES = (2, 5, 10)
RING_RADIUS = 52
SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "sw.js"


@router.get("/learn", response_class=HTMLResponse)
def today(request: Request, principal: PrincipalDep, system: SystemDep) -> Response:
    view = system.today.of(principal)
    numbers, plan = view.stats, view.plan
    circumference = 2 * math.pi * RING_RADIUS
    return render(
        request,
        "learn/today.html",
        principal=principal,
        stats=numbers,
        due_count=plan.due_count,
        has_new=plan.has_new,
        session_minutes=SESSION_MINUTES,
        ring={
            "r": RING_RADIUS,
            "circumference": round(circumference, 2),
            "offset": round(circumference * (1 - numbers.goal_fraction), 2),
            "percent": round(numbers.goal_fraction * 100),
        },
    )


@router.get("/learn/session")
def start_session(
    request: Request,
    principal: PrincipalDep,
    system: SystemDep,
    minutes: Annotated[int, Query(ge=1, le=120)] = 5,
) -> Response:
    """Plan a session for the minutes chosen and open its first step (a GET: planning changes nothing)."""
    steps = steps_of_session(system.sessions.today(principal, minutes))
    if not steps:
        return render(request, "learn/nothing.html", principal=principal, minutes=minutes)
    return RedirectResponse(play_url(format_steps(steps), 0), status_code=303)


@router.get("/learn/now")
def learn_now(
    request: Request,
    principal: PrincipalDep,
    system: SystemDep,
    lesson: Annotated[list[int] | None, Query(max_length=50)] = None,
) -> Response:
    """Learn now, from an answer to a question: exactly the path's lessons, prerequisites first."""
    steps = steps_of_session(system.sessions.path(principal, lesson)) if lesson else []
    if not steps:
        return render(request, "learn/nothing.html", principal=principal, minutes=None)
    return RedirectResponse(play_url(format_steps(steps), 0), status_code=303)


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker at the root, so that its scope covers the whole site."""
    return FileResponse(
        SERVICE_WORKER,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )
