"""Catalogue: the organisation's packs; a pack's page lists its courses, modules and lessons with the
learner's progress per lesson (not started, in progress, learned) and a link to take each lesson."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from skillbite.services.catalogue import CataloguePack
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
    pack = system.catalogue.pack(principal, pack_key)
    templates: Jinja2Templates = request.app.state.templates
    body = system.views.derived("pack-html", pack, lambda: pack_html(templates, pack))
    return render(request, "learn/pack.html", principal=principal, pack=pack, body=body)


def pack_html(templates: Jinja2Templates, pack: CataloguePack) -> Markup:
    """The pack's courses and lessons as HTML: a function of the view alone, so it is kept with it."""
    return Markup(  # noqa: S704 - rendered by the autoescaping environment
        templates.get_template("learn/_pack_body.html").render(pack=pack)
    )
