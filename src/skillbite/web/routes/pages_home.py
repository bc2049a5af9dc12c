"""The home page: a welcome for visitors, and (for now) an empty Today for learners."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from skillbite.web.auth import OptionalPrincipalDep
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: OptionalPrincipalDep) -> HTMLResponse:
    return render(request, "home.html", principal=principal)
