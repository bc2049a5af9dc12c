"""Ask: a need in plain words -> the lessons that answer it, the shortest path and its minutes, Learn now."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from skillbite.services.errors import InvalidInput
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/ask", response_class=HTMLResponse)
def ask(request: Request, principal: PrincipalDep, system: SystemDep, q: str = "") -> Response:
    if not q.strip():
        return render(request, "learn/ask.html", principal=principal, q="", answer=None)
    try:
        answer = system.ask.ask(principal, q)
    except InvalidInput as error:
        return render(
            request,
            "learn/ask.html",
            status_code=422,
            principal=principal,
            q=q,
            answer=None,
            ask_error=error.message,
        )
    return render(request, "learn/ask.html", principal=principal, q=q, answer=answer)
