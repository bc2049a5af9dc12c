"""Organisations: the tenants. A first run creates the one with slug `default`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, InvalidInput, NotFound
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import OrganisationRepository
from skillbite.store.tables.accounts import Organisation

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class OrganisationView:
    id: int
    slug: str
    name: str


def check_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug):
        raise InvalidInput(
            f"invalid organisation slug {slug!r}: use 1-63 lowercase letters, digits and '-', "
            "starting and ending with a letter or digit (for example `acme-support`)",
            field="slug",
        )
    return slug


def _view(org: Organisation) -> OrganisationView:
    return OrganisationView(id=org.id, slug=org.slug, name=org.name)


class OrganisationService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def create(self, slug: str, name: str | None = None) -> OrganisationView:
        check_slug(slug)
        with self.db.transaction() as session:
            orgs = OrganisationRepository(session)
            if orgs.by_slug(slug) is not None:
                raise Conflict(f"an organisation with slug {slug!r} exists already", field="slug")
            org = orgs.add(Organisation(slug=slug, name=name or slug, created_at=self.clock()))
            return _view(org)

    def ensure(self, slug: str) -> OrganisationView:
        """The organisation with this slug, created when missing (first run)."""
        with self.db.transaction() as session:
            org = OrganisationRepository(session).by_slug(slug)
            if org is not None:
                return _view(org)
        try:
            return self.create(slug, name=slug.capitalize())
        except Conflict:  # created meanwhile by another process
            return self.get(slug)

    def get(self, slug: str) -> OrganisationView:
        with self.db.transaction() as session:
            org = OrganisationRepository(session).by_slug(slug)
            if org is None:
                raise NotFound(
                    f"no organisation with slug {slug!r}; create it with `skillbite org create {slug}`",
                    field="org",
                )
            return _view(org)

    def all(self) -> list[OrganisationView]:
        with self.db.transaction() as session:
            return [_view(o) for o in OrganisationRepository(session).all()]
