"""search index: analysed lesson documents, per-pack term statistics, full-text index per dialect

Revision ID: 0004_search_index
Revises: 0001_foundation
Create Date: 2026-11-29 06:10:00

The search layer analyses text itself (stems, compounds) and stores space-separated terms, so both
backends index exactly the same terms:
- SQLite: an FTS5 table `search_fts` (rowid = search_documents.id) whose tokenizer splits on spaces only;
- PostgreSQL: a `tsv` tsvector column on search_documents (built by the application from the same terms,
  with field weights A-D) and a GIN index on it.
`mentions` counts the lessons of the pack that name a lesson's title in inline code (a popularity prior;
releases before 2026-11-29 counted plain-word mentions: `skillbite pack reindex` rebuilds the counts).
`search_terms` holds document frequencies per pack and `search_packs` field lengths per pack, so the
re-ranker computes BM25F statistics for one organisation with two small indexed queries.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_search_index"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENT_COLUMNS = """
    org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    pack_id VARCHAR(200) NOT NULL,
    lesson_id VARCHAR(200) NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    minutes REAL NOT NULL,
    mentions INTEGER NOT NULL,
    skills TEXT NOT NULL,
    title_terms TEXT NOT NULL,
    body_terms TEXT NOT NULL,
    example_terms TEXT NOT NULL,
    command_terms TEXT NOT NULL,
    examples TEXT NOT NULL,
    CONSTRAINT uq_search_documents_lesson UNIQUE (org_id, pack_id, lesson_id)
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE TABLE search_documents (id BIGSERIAL PRIMARY KEY, "
            + _DOCUMENT_COLUMNS
            + ", tsv TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING GIN (tsv)")
    else:
        op.execute(
            "CREATE TABLE search_documents (id INTEGER PRIMARY KEY AUTOINCREMENT, " + _DOCUMENT_COLUMNS + ")"
        )
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, examples, commands, org_id UNINDEXED, "
            "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-_.+'\")"
        )
    op.execute("CREATE INDEX ix_search_documents_org_pack ON search_documents (org_id, pack_id)")
    op.execute(
        "CREATE TABLE search_terms ("
        "org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE, "
        "pack_id VARCHAR(200) NOT NULL, term VARCHAR(200) NOT NULL, df INTEGER NOT NULL, "
        "CONSTRAINT pk_search_terms PRIMARY KEY (org_id, pack_id, term))"
    )
    op.execute("CREATE INDEX ix_search_terms_org_term ON search_terms (org_id, term)")
    op.execute(
        "CREATE TABLE search_packs ("
        "org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE, "
        "pack_id VARCHAR(200) NOT NULL, document_count INTEGER NOT NULL, "
        "title_length INTEGER NOT NULL, body_length INTEGER NOT NULL, "
        "examples_length INTEGER NOT NULL, commands_length INTEGER NOT NULL, "
        "CONSTRAINT pk_search_packs PRIMARY KEY (org_id, pack_id))"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_packs")
    op.execute("DROP TABLE search_terms")
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    op.execute("DROP TABLE search_documents")
