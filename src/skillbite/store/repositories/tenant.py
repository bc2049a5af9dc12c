"""The base of every tenant-scoped repository: each query it builds filters on its organisation."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from skillbite.store.tables.base import TenantOwned

RowT = TypeVar("RowT", bound=TenantOwned)


class TenantRepository(Generic[RowT]):
    """Rows of `model` that belong to `org_id`, and no others.

    Another organisation's row is indistinguishable from a missing one: `get` returns None for both, so the
    web layer answers 404 and never leaks that the id exists.
    """

    model: type[RowT]

    def __init__(self, session: Session, org_id: int) -> None:
        self.session = session
        self.org_id = org_id

    def _select(self) -> Select[tuple[RowT]]:
        return select(self.model).where(self.model.org_id == self.org_id)

    def get(self, row_id: int) -> RowT | None:
        model: Any = self.model
        return self.session.scalars(self._select().where(model.id == row_id)).one_or_none()

    def add(self, row: RowT) -> RowT:
        """Add the row in this organisation and flush, so that its id is known."""
        self.stage(row)
        self.session.flush()
        return row

    def stage(self, row: RowT) -> RowT:
        """Add the row in this organisation; it is written at the next flush (for bulk imports)."""
        row.org_id = self.org_id
        self.session.add(row)
        return row
