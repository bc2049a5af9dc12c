"""Content: packs, skills and their prerequisites, courses, lessons (bites), items and media.

Authored ids (`key` columns) are unique per pack within an organisation and stable across versions of a pack;
integer primary keys are internal. A re-import updates rows in place by key. Items and lessons that a new
version no longer contains are retired (`retired_at`), never deleted, so the learners' history stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from skillbite.store.tables.base import Base, TenantOwned, UTCDateTime


class PackRow(TenantOwned, Base):
    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    version: Mapped[str] = mapped_column(String(50), nullable=False)
    licence: Mapped[str] = mapped_column(String(100), nullable=False)
    authors: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    origin: Mapped[str] = mapped_column(String(20), nullable=False, default="pack")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SkillRow(TenantOwned, Base):
    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("org_id", "pack_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    """Keys of prerequisite skills; `other-pack:skill` for a skill of another pack of the organisation."""


class CourseRow(TenantOwned, Base):
    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("org_id", "pack_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    modules: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    """[{"id", "title", "lessons": [lesson keys]}] in order."""


class LessonRow(TenantOwned, Base):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("org_id", "pack_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    minutes: Mapped[float] = mapped_column(Float, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    skills: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ItemRow(TenantOwned, Base):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("org_id", "pack_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    body: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    content_fingerprint: Mapped[str] = mapped_column(String(80), nullable=False)
    answer_fingerprint: Mapped[str] = mapped_column(String(80), nullable=False)
    answer_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """Set when a new version changed the correct answer: learners see the item again as new."""
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MediaRow(TenantOwned, Base):
    """Media files of a pack, kept in the database so that an import is one transaction."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("org_id", "pack_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
