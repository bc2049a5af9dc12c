"""The FastAPI app factory: JSON API under /api, server-rendered pages, static assets served locally."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import skillbite
from skillbite.services.background_worker import BackgroundWorker
from skillbite.settings import Environment, Settings
from skillbite.web.csrf import CsrfCookieMiddleware, csrf_protect, csrf_token
from skillbite.web.errors import install_error_handlers
from skillbite.web.routes import (
    api_account,
    api_ask,
    api_docs,
    api_learner,
    api_members,
    api_packs,
    api_reviews,
    api_session,
    health,
    media,
    pages_ask,
    pages_auth,
    pages_author,
    pages_catalogue,
    pages_home,
    pages_learn,
    pages_learner_settings,
    pages_player,
    pages_progress,
    pages_settings,
    pages_skills,
)
from skillbite.web.security_headers import SecurityHeadersMiddleware
from skillbite.web.upload_limit import UploadLimitMiddleware
from skillbite.wiring import System, build_system

WEB = Path(__file__).parent
ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        health,
        api_docs,
        api_account,
        api_members,
        api_packs,
        api_reviews,
        api_session,
        api_ask,
        api_learner,
        media,
        pages_home,
        pages_auth,
        pages_settings,
        pages_author,
        pages_learn,
        pages_ask,
        pages_player,
        pages_catalogue,
        pages_skills,
        pages_progress,
        pages_learner_settings,
    )
)


def route_table() -> list[APIRoute]:
    """Every route the app serves (besides static files): what the generated security tests walk."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def _template_context(request: Request) -> dict[str, Any]:
    return {"csrf_token": csrf_token(request), "version": skillbite.__version__}


def create_app(
    settings: Settings | None = None, *, system: System | None = None, background: bool | None = None
) -> FastAPI:
    """Build the web app on a system (wired here unless given, as tests do).

    `background`: run the background worker (search warm-up, queued jobs, upload sweep) while the app is
    served. By default a server process does (an app that wired its own system, or `skillbite serve`, which
    passes True); an app handed a system by a test leaves that to whoever owns the system."""
    owns_system = system is None
    system = system or build_system(settings, semantic_in_background=True)
    serving = owns_system if background is None else background
    worker = BackgroundWorker(
        system.jobs,
        system.ask,
        system.organisations,
        poll_seconds=system.settings.job_poll_seconds if serving else 0,
        warm_search=system.settings.warm_search_at_start and serving,
        sweep=lambda: system.authoring.uploads.sweep(
            system.clock(), timedelta(hours=system.settings.upload_expiry_hours)
        ),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        yield
        worker.stop()
        if owns_system:
            system.close()

    app = FastAPI(
        title="skillbite",
        version=skillbite.__version__,
        description="Micro-learning and just-in-time skill acquisition. Authenticate with "
        "`Authorization: Bearer <API token>` (create one under Settings → API tokens).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.system = system
    app.state.worker = worker
    app.state.templates = Jinja2Templates(directory=WEB / "templates", context_processors=[_template_context])
    # Templates ship with the package: checking their files for changes on every render is for development.
    app.state.templates.env.auto_reload = system.settings.environment is Environment.DEVELOPMENT
    app.add_middleware(CsrfCookieMiddleware)
    # Slightly above the file limit: the multipart envelope adds a few hundred bytes.
    app.add_middleware(UploadLimitMiddleware, max_bytes=(system.settings.max_upload_mb << 20) + 65536)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every response, errors included
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
