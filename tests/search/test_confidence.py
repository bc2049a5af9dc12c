"""The confident flag: a question the content answers is confident; one it does not answer is not."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from tests.search.sample_corpus import ORG, create_organisations, sample_pack

pytestmark = pytest.mark.storage

ANSWERED = ["undo my last commit but keep the changes", "list hidden files", "extract an archive"]
OUT_OF_SCOPE = ["what is a p-value", "how to bake bread", "explain the central limit theorem", "qwertyuiop"]


@pytest.mark.parametrize("query", ANSWERED + OUT_OF_SCOPE)
def test_confident_only_when_answered(engine: Engine, query: str) -> None:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack())
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)
    with engine.connect() as conn:
        answer = index_for(conn).ask(conn, ORG, query, 5)
    assert answer.confident is (query in ANSWERED), (query, answer.coverage, answer.hits[:1])


def test_empty_query_is_not_confident(engine: Engine) -> None:
    create_organisations(engine)
    with engine.connect() as conn:
        answer = index_for(conn).ask(conn, ORG, "how do I the", 5)
    assert answer.hits == ()
    assert answer.confident is False
