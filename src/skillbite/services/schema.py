"""Bringing the database to the current schema, and the first-run organisation."""

from __future__ import annotations

from skillbite.services.organisations import OrganisationService, OrganisationView
from skillbite.store.database import Database
from skillbite.store.migrate import current_revision, head_revision, upgrade


class SchemaService:
    def __init__(self, db: Database, organisations: OrganisationService, default_org_slug: str) -> None:
        self.db = db
        self.organisations = organisations
        self.default_org_slug = default_org_slug

    def upgrade(self) -> tuple[str | None, str | None]:
        """Migrate to head and make sure the default organisation exists; returns (before, after)."""
        before = current_revision(self.db.engine)
        upgrade(self.db.engine)
        self.ensure_default_org()
        return before, head_revision(self.db.engine)

    def ensure_default_org(self) -> OrganisationView:
        return self.organisations.ensure(self.default_org_slug)
