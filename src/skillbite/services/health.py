"""Health: is the database reachable and its schema current?"""

from __future__ import annotations

from dataclasses import dataclass

from skillbite.store.database import Database
from skillbite.store.migrate import is_up_to_date


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    detail: str


class HealthService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def check(self) -> HealthReport:
        try:
            self.db.ping()
        except Exception as error:  # any driver error means "not healthy", with its message
            return HealthReport(ok=False, detail=f"database unreachable: {type(error).__name__}")
        if not is_up_to_date(self.db.engine):
            return HealthReport(ok=False, detail="database schema is not current: run `skillbite db upgrade`")
        return HealthReport(ok=True, detail="ok")
