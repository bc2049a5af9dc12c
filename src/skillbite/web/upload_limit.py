"""Refuse a request body larger than the upload limit before reading it (413), not after."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send


class UploadLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                body = json.dumps(
                    {
                        "detail": f"the upload is larger than the {self.max_bytes >> 20} MiB limit "
                        "(SKILLBITE_MAX_UPLOAD_MB)",
                        "field": "file",
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 413,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
