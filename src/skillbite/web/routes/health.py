"""GET /healthz: 200 {"status": "ok"} after checking the database; 503 with the reason otherwise."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from skillbite.web.auth import SystemDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(system: SystemDep) -> JSONResponse:
    report = system.health.check()
    if report.ok:
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "detail": report.detail}, status_code=503)
