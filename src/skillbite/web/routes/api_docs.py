"""OpenAPI documentation at /api/docs, with Swagger UI served from our own assets (no CDN).

Swagger UI 5.35.0 is vendored from the npm package swagger-ui-dist (Apache-2.0): version 5 reads the OpenAPI
3.1 documents FastAPI writes, which the 4.x bundled in the PyPI package swagger-ui-bundle cannot render.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="skillbite API",
        swagger_js_url="/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui-5.35.0/swagger-ui.css",
        swagger_favicon_url="/static/icon.svg",
    )
