"""SQLAlchemy tables. Importing this package registers every table on `Base.metadata`."""

from skillbite.store.tables import accounts, content, learning
from skillbite.store.tables.base import Base

__all__ = ["Base", "accounts", "content", "learning"]
