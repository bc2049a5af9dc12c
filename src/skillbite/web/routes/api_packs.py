"""Packs over the REST API: list, read, export, validate an upload, import (packs, .apkg, CSV, tldr-pages)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.background import BackgroundTask

from skillbite.content.item_json import item_to_json
from skillbite.content.problems import Problem
from skillbite.services.authoring import report_of
from skillbite.services.errors import InvalidInput
from skillbite.services.pack_sync import SyncSummary
from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(prefix="/api/packs", tags=["content"])
UploadDep = Annotated[
    UploadFile, File(description="A pack .zip, an Anki .apkg, a .csv, or a tldr-pages .tar.gz")
]


class PackOut(BaseModel):
    key: str
    title: str
    version: str
    licence: str
    origin: str
    lessons: int
    items: int


class ProblemOut(BaseModel):
    severity: str
    file: str
    line: int | None
    field: str | None
    message: str
    hint: str


class CheckOut(BaseModel):
    ok: bool
    kind: str
    problems: list[ProblemOut]


class ImportOut(BaseModel):
    pack: str
    version: str
    created: bool
    lessons: dict[str, int]
    items: dict[str, int]
    skills: int
    courses: int
    media: int


def _problem(p: Problem) -> ProblemOut:
    return ProblemOut(
        severity=p.severity, file=p.file, line=p.line, field=p.field, message=p.message, hint=p.hint
    )


def _summary(s: SyncSummary) -> ImportOut:
    return ImportOut(
        pack=s.pack_key,
        version=s.version,
        created=s.created,
        lessons=s.lessons,
        items=s.items,
        skills=s.skills,
        courses=s.courses,
        media=s.media,
    )


@router.get("")
def list_packs(principal: PrincipalDep, system: SystemDep) -> list[PackOut]:
    return [PackOut(**p.__dict__) for p in system.content.packs(principal.org_id)]


@router.get("/{pack_key}")
def get_pack(pack_key: str, principal: PrincipalDep, system: SystemDep) -> dict[str, Any]:
    """The pack's skills, courses and lessons with their items (answers included: authors only)."""
    principal.require_author()
    pack = system.content.pack(principal.org_id, pack_key)
    return {
        "id": pack.id,
        "title": pack.title,
        "version": pack.version,
        "licence": pack.licence,
        "authors": list(pack.authors),
        "description": pack.description,
        "skills": [
            {"id": s.id, "title": s.title, "prerequisites": list(s.prerequisites)} for s in pack.skills
        ],
        "courses": [
            {
                "id": c.id,
                "title": c.title,
                "modules": [{"id": m.id, "title": m.title, "lessons": list(m.lessons)} for m in c.modules],
            }
            for c in pack.courses
        ],
        "lessons": [
            {
                "id": lesson.id,
                "title": lesson.title,
                "minutes": lesson.minutes,
                "skills": list(lesson.skills),
                "source": lesson.source,
                "items": [item_to_json(i) for i in lesson.items],
            }
            for lesson in pack.lessons
        ],
    }


@router.get("/{pack_key}/export", response_class=FileResponse)
def export_pack(pack_key: str, principal: PrincipalDep, system: SystemDep) -> Response:
    principal.require_author()
    temp = Path(tempfile.mkdtemp(prefix="skillbite-export-"))
    try:
        dest = system.content.export_pack(principal.org_id, pack_key, temp / f"{pack_key}.zip")
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    cleanup = BackgroundTask(shutil.rmtree, temp, ignore_errors=True)
    return FileResponse(dest, media_type="application/zip", filename=dest.name, background=cleanup)


@router.post("/validate")
def validate_upload(file: UploadDep, principal: PrincipalDep, system: SystemDep) -> CheckOut:
    """Check an upload without importing it: every problem, with file, line and a hint."""
    check = system.authoring.upload(principal, file.filename or "upload", file.file)
    system.authoring.uploads.discard(principal.org_id, check.token)
    return CheckOut(ok=check.ok, kind=check.kind.value, problems=[_problem(p) for p in check.problems])


@router.post("", status_code=status.HTTP_201_CREATED, responses={422: {"model": CheckOut}})
def import_upload(file: UploadDep, principal: PrincipalDep, system: SystemDep) -> Response:
    """Import an upload, all or nothing; 422 with every problem when it is not valid."""
    check = system.authoring.upload(principal, file.filename or "upload", file.file)
    if not check.ok:
        system.authoring.uploads.discard(principal.org_id, check.token)
        body = CheckOut(ok=False, kind=check.kind.value, problems=[_problem(p) for p in check.problems])
        return JSONResponse(body.model_dump(), status_code=422)
    try:
        summary = system.authoring.confirm(principal, check.token)
    except InvalidInput as error:
        body = CheckOut(ok=False, kind=check.kind.value, problems=[_problem(p) for p in report_of(error)])
        return JSONResponse(body.model_dump(), status_code=422)
    return JSONResponse(_summary(summary).model_dump(), status_code=201)
