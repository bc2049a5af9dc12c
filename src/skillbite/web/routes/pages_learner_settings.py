"""The learner's settings page: time zone, daily goal, reminder time and desired retention (within the
bounds the organisation allows). A plain POST form; a refused value is shown again on its field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillbite.domain.daily_goal import GOAL_LIMITS, GoalKind
from skillbite.services.errors import InvalidInput, ServiceError
from skillbite.services.learner_settings import (
    MAX_DAILY_GOAL_MINUTES,
    LearnerSettingsChange,
    LearnerSettingsView,
)
from skillbite.services.principal import Principal
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.errors import status_for
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)
PAGE = "/learn/settings"


@lru_cache(maxsize=1)
def timezone_choices() -> tuple[str, ...]:
    """IANA zones, sorted; the legacy aliases (`posixrules`, `Etc/...` kept) are what zoneinfo offers."""
    return tuple(sorted(available_timezones()))


@dataclass(frozen=True)
class SettingsForm:
    """What the form shows: the stored values, or what the learner just typed when it was refused."""

    timezone: str
    daily_goal_minutes: str
    reminder_time: str
    retention_percent: str
    daily_goal_kind: str = "minutes"
    daily_goal_xp: str = "50"

    @classmethod
    def of(cls, view: LearnerSettingsView) -> SettingsForm:
        retention = "" if view.desired_retention is None else f"{view.desired_retention * 100:g}"
        return cls(
            view.timezone,
            str(view.daily_goal_minutes),
            view.reminder_time or "",
            retention,
            view.daily_goal_kind,
            str(view.daily_goal_xp),
        )


def _whole_number(text: str, field: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a whole number, not {text!r}", field=field) from None


def _retention(text: str) -> float | None:
    """Blank: the organisation's default applies. Otherwise a percentage such as 90."""
    if not text.strip():
        return None
    try:
        percent = float(text.strip().rstrip("%"))
    except ValueError:
        raise InvalidInput(
            f"desired retention must be a percentage such as 90, not {text!r}", field="desired_retention"
        ) from None
    return round(percent / 100, 4)


def _page(
    request: Request,
    principal: Principal,
    view: LearnerSettingsView,
    form: SettingsForm,
    *,
    status_code: int = 200,
    error: ServiceError | None = None,
    saved: bool = False,
) -> HTMLResponse:
    return render(
        request,
        "learn/settings.html",
        status_code=status_code,
        principal=principal,
        bounds=view.bounds,
        form=form,
        zones=timezone_choices(),
        max_goal=MAX_DAILY_GOAL_MINUTES,
        xp_goal_limits=GOAL_LIMITS[GoalKind.XP],
        error_field=error.field if error else None,
        error=error.message if error else None,
        saved=saved,
    )


@router.get(PAGE, response_class=HTMLResponse)
def settings_page(
    request: Request, principal: PrincipalDep, system: SystemDep, saved: int = 0
) -> HTMLResponse:
    view = system.learner_settings.get(principal)
    return _page(request, principal, view, SettingsForm.of(view), saved=bool(saved))


@router.post(PAGE)
def save_settings(
    request: Request,
    principal: PrincipalDep,
    system: SystemDep,
    timezone: Annotated[str, Form()],
    daily_goal_minutes: Annotated[str, Form()],
    reminder_time: Annotated[str, Form()] = "",
    desired_retention: Annotated[str, Form()] = "",
    daily_goal_kind: Annotated[str, Form()] = "",
    daily_goal_xp: Annotated[str, Form()] = "",
) -> Response:
    view = system.learner_settings.get(principal)
    typed = SettingsForm(
        timezone,
        daily_goal_minutes,
        reminder_time,
        desired_retention,
        daily_goal_kind or view.daily_goal_kind,
        daily_goal_xp or str(view.daily_goal_xp),
    )
    try:
        change = LearnerSettingsChange(
            timezone=timezone,
            daily_goal_minutes=_whole_number(daily_goal_minutes, "daily_goal_minutes", "the daily goal"),
            daily_goal_kind=typed.daily_goal_kind,
            daily_goal_xp=_whole_number(typed.daily_goal_xp, "daily_goal_xp", "the XP goal"),
            reminder_time=reminder_time.strip() or None,
            desired_retention=_retention(desired_retention),
        )
        system.learner_settings.update(principal, change)
    except ServiceError as error:
        view = system.learner_settings.get(principal)
        return _page(request, principal, view, typed, status_code=status_for(error), error=error)
    # Post/redirect/get: a reload does not resubmit the form.
    return RedirectResponse(f"{PAGE}?saved=1", status_code=303)
