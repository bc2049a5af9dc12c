"""Author pages: the organisation's packs, upload, validation report, confirm import, export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from skillbite.services.authoring import report_of
from skillbite.services.errors import InvalidInput, ServiceError
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.errors import status_for
from skillbite.web.pages import render

router = APIRouter(prefix="/author", include_in_schema=False)


@router.get("/packs", response_class=HTMLResponse)
def packs_page(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    principal.require_author()
    return render(
        request, "author_packs.html", principal=principal, packs=system.content.packs(principal.org_id)
    )


@router.post("/uploads")
def upload(
    request: Request, principal: PrincipalDep, system: SystemDep, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        check = system.authoring.upload(principal, file.filename or "upload", file.file)
    except ServiceError as error:
        return render(
            request,
            "author_packs.html",
            status_code=status_for(error),
            principal=principal,
            packs=system.content.packs(principal.org_id),
            error=error.message,
        )
    if not check.ok:
        system.authoring.uploads.discard(principal.org_id, check.token)
    return render(
        request, "author_check.html", status_code=200 if check.ok else 422, principal=principal, check=check
    )


@router.post("/uploads/{token}/confirm")
def confirm(request: Request, token: str, principal: PrincipalDep, system: SystemDep) -> Response:
    try:
        summary = system.authoring.confirm(principal, token)
    except InvalidInput as error:
        return render(
            request,
            "author_check.html",
            status_code=422,
            principal=principal,
            check=None,
            problems=report_of(error),
        )
    return render(request, "author_done.html", principal=principal, summary=summary)
