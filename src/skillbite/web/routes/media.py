"""Media files of a pack (images, audio, video), for members of the organisation that owns the pack."""

from __future__ import annotations

from fastapi import APIRouter, Response

from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(include_in_schema=False)


@router.get("/media/{pack_key}/{path:path}")
def media(pack_key: str, path: str, principal: PrincipalDep, system: SystemDep) -> Response:
    found = system.content.media(principal.org_id, pack_key, path)
    headers = {
        "Cache-Control": "private, max-age=86400",
        "X-Content-Type-Options": "nosniff",
        # An SVG opened directly must not run script: a sandboxed, script-free document.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    }
    return Response(found.data, media_type=found.content_type, headers=headers)
