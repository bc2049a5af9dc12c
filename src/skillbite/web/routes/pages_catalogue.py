"""Catalogue: the organisation's packs; a pack's page lists its courses, modules and lessons with the
learner's progress per lesson (not started, in progress, learned) and a link to take each lesson."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/learn/catalogue", response_class=HTMLResponse)
def catalogue(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    return render(
        request, "learn/catalogue.html", principal=principal, packs=system.catalogue.packs(principal)
    )


@router.get("/learn/packs/{pack_key}", response_class=HTMLResponse)
def pack_page(request: Request, pack_key: str, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    """A pack's courses. Another organisation's pack is a 404, like a missing one."""
    return render(
        request, "learn/pack.html", principal=principal, pack=system.catalogue.pack(principal, pack_key)
    )
