"""`skillbite serve`: the web app under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from skillbite.cli.context import build_or_fail, fail, load_settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web app and the API."""
    from skillbite.web.app import create_app

    settings = load_settings()
    system = build_or_fail(settings, semantic_in_background=True)
    if not system.health.check().ok:
        system.close()
        raise fail("the database schema is not current; run `skillbite db upgrade` first")
    app = create_app(system=system, background=True)  # warms search, runs queued jobs, sweeps uploads
    try:
        uvicorn.run(app, host=host, port=port, log_level=settings.log_level, proxy_headers=True)
    finally:
        system.close()
