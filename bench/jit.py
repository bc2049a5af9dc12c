"""Just-in-time retrieval benchmark: tldr-pages corpus, NL2Bash dev queries, skillbite versus baselines.

    python bench/jit.py --json

Imports ../shared/data/corpora/tldr-pages-en.tar.gz into a fresh SQLite database through the import service
(`skillbite import tldr`), answers every query of ../shared/data/queries/nl2bash_tldr_dev.jsonl, and reports
hit@1/3/10, MRR@10 and p50/p95 latency for:
- skillbite_lexical: the search engine of skillbite.search, in-process;
- skillbite_lexical_http: the same answers through GET /api/ask of a real uvicorn server (bearer token);
- skillbite_semantic: the same fused with dense retrieval (search/semantic.py), when the `skillbite[semantic]`
  extra (sentence-transformers and the packaged all-MiniLM-L6-v2 model) is installed; the one-off costs
  (loading the model, embedding every lesson summary and example, reading them back from the vector store)
  are reported under "semantic", apart from the per-query latency;
- bm25s: bm25s over the page text (Snowball-stemmed, English stop words);
- fts5: a plain SQLite FTS5 table over the page text (porter tokenizer, OR query, bm25 ranking).
A hit is a labelled page (`primary_pages`) or the same command under another platform folder in the top k
(../shared/BENCHMARKS.md, section 4).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "data" / "corpora" / "tldr-pages-en.tar.gz"
QUERIES = SHARED / "data" / "queries" / "nl2bash_tldr_dev.jsonl"
K = 10

Searcher = Callable[[str], list[str]]
"""A system under test: query -> page paths (`pages/<platform>/<command>.md`), best first."""


def command_of(page: str) -> str:
    return page.rsplit("/", 1)[-1]


def evaluate(search: Searcher, queries: list[dict[str, object]]) -> dict[str, float]:
    reciprocal_ranks, latencies, cpu_times = [], [], []
    hits = {1: 0, 3: 0, 10: 0}
    for query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        pages = search(str(query["query"]))[:K]
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        wanted = {command_of(str(p)) for p in query["primary_pages"]}  # type: ignore[attr-defined]
        rank = next((i for i, page in enumerate(pages) if command_of(page) in wanted), None)
        reciprocal_ranks.append(0.0 if rank is None else 1.0 / (rank + 1))
        for k in hits:
            hits[k] += rank is not None and rank < k
    latencies.sort()
    cpu_times.sort()
    n = len(queries)
    return {
        "hit@1": round(hits[1] / n, 4),
        "hit@3": round(hits[3] / n, 4),
        "hit@10": round(hits[10] / n, 4),
        "mrr@10": round(sum(reciprocal_ranks) / n, 4),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[min(n - 1, int(0.95 * n))], 3),
        # CPU time of this process per query: less sensitive than wall time to other load on the machine.
        "cpu_p50_ms": round(statistics.median(cpu_times), 3),
        "cpu_p95_ms": round(cpu_times[min(n - 1, int(0.95 * n))], 3),
    }


def page_texts() -> dict[str, str]:
    """Every page's Markdown, keyed by its path inside the corpus (for the baselines)."""
    import tarfile

    texts = {}
    with tarfile.open(CORPUS, "r|gz") as archive:
        for member in archive:
            if member.isreg() and member.name.startswith("pages/") and member.name.endswith(".md"):
                stream = archive.extractfile(member)
                assert stream is not None
                texts[member.name] = stream.read().decode("utf-8")
    return texts


def bm25s_searcher(texts: dict[str, str]) -> Searcher:
    import bm25s
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    paths = list(texts)
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(list(texts.values()), stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )

    def search(query: str) -> list[str]:
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        documents, _ = retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)
        return [paths[int(i)] for i in documents[0]]

    return search


def fts5_searcher(texts: dict[str, str]) -> Searcher:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute("CREATE VIRTUAL TABLE pages USING fts5(path UNINDEXED, body, tokenize='porter')")
    connection.executemany("INSERT INTO pages VALUES (?, ?)", texts.items())

    def search(query: str) -> list[str]:
        words = re.findall(r"\w+", query.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = connection.execute(
            "SELECT path FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT ?", (match, K)
        )
        return [row[0] for row in rows]

    return search


def skillbite_system(folder: Path) -> tuple[Any, int, float, int]:
    """A fresh, migrated SQLite database with the whole corpus imported through the import service.

    Returns (system, organisation id, import seconds, lessons).
    """
    from skillbite.settings import Settings
    from skillbite.wiring import build_system

    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        environment="test",
        secret_key="bench-secret-key-long-enough-to-pass",  # noqa: S106 - a throwaway database
        password_hash_profile="owasp-minimum",  # noqa: S106 - a cost profile, not a password
        data_dir=folder / "var",
        semantic_search="off",  # the system's own answers (and /api/ask) are the lexical engine's; the
        # semantic stage is measured separately below, with its vectors cached between runs
    )
    system = build_system(settings)
    system.schema.upgrade()
    login = system.accounts.sign_up("bench@example.com", "bench password", org_slug="bench")
    started = time.perf_counter()
    summary = system.importers.tldr(login.principal.org_id, CORPUS)
    seconds = time.perf_counter() - started
    return system, login.principal.org_id, seconds, summary.lessons["added"] + summary.lessons["updated"]


def skillbite_searcher(engine: Any, org_id: int, reranker: object = None) -> Searcher:
    from skillbite.search.backends import index_for

    connection = engine.connect()
    index = index_for(connection, reranker)

    def search(query: str) -> list[str]:
        return [hit.source or "" for hit in index.search(connection, org_id, query, K)]

    return search


EMBEDDINGS_CACHE = Path(tempfile.gettempdir()) / "skillbite-bench-embeddings"
"""Where `--semantic cached` keeps passage vectors between runs (keyed by passage text, so always valid)."""


class _CountingEncoder:
    """The real encoder, counting the passages it embeds (to tell a cold run from one served by the store)."""

    def __init__(self, encoder: Any) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self.passages = 0

    def encode(self, texts: Any) -> Any:
        self.passages += len(texts)
        return self._encoder.encode(texts)


def semantic_costs(engine: Any, org_id: int, folder: Path, cold: bool) -> tuple[Any, dict[str, Any]] | None:
    """The semantic re-ranker with the organisation's passages embedded, and what that cost; None without
    the `skillbite[semantic]` extra. The organisation's snapshot must be built already."""
    from skillbite.search.embedding_model import load_encoder
    from skillbite.search.semantic import SemanticReranker
    from skillbite.search.snapshot_cache import cached_snapshot
    from skillbite.search.vector_store import VectorStore

    started = time.perf_counter()
    encoder = load_encoder()
    if encoder is None:
        return None
    load_seconds = time.perf_counter() - started
    store = VectorStore(folder / "embeddings" if cold else EMBEDDINGS_CACHE, encoder.name)
    counting = _CountingEncoder(encoder)
    reranker = SemanticReranker(counting, store)
    snapshot = cached_snapshot(engine, org_id)
    assert snapshot is not None, "ask a question first: it builds the snapshot"
    started, cpu_started = time.perf_counter(), time.process_time()
    reranker.warm_snapshot(snapshot)
    embedding_seconds = time.perf_counter() - started
    embedding_cpu_seconds = time.process_time() - cpu_started
    started = time.perf_counter()
    prepared = reranker.embed(snapshot)  # everything is in the store now: a restart's cost
    reload_seconds = time.perf_counter() - started
    embedded = counting.passages
    passages = len(prepared.vectors.lessons) + len(prepared.vectors.examples)
    encodings = []
    for text in ("undo my last commit but keep the changes", "how do i see what uses port 8080") * 20:
        cpu_started = time.process_time()
        encoder.encode([text])
        encodings.append((time.process_time() - cpu_started) * 1000)
    return reranker, {
        "model_load_seconds": round(load_seconds, 2),
        "passages": passages,
        "embedding_seconds": round(embedding_seconds, 2),
        "embedding_cpu_seconds": round(embedding_cpu_seconds, 2),
        "passages_embedded": embedded,
        "store": "fresh" if cold else str(EMBEDDINGS_CACHE),
        "reload_from_store_seconds": round(reload_seconds, 2),
        "query_encoding_cpu_p50_ms": round(statistics.median(encodings), 2),
        "torch_threads": int(__import__("torch").get_num_threads()),
    }


@contextmanager
def http_searcher(system: Any) -> Iterator[Searcher]:
    """GET /api/ask over HTTP from a real uvicorn server in this process, authenticated by an API token."""
    import httpx
    import uvicorn

    from skillbite.web.app import create_app

    principal = system.accounts.member("bench", "bench@example.com")
    token = system.api_tokens.create(principal, "bench").token
    sock = socket.socket()
    # Accepted connections inherit TCP_NODELAY: without it, Nagle's algorithm and delayed ACKs add ~40 ms to
    # a response written in two segments, which would be measured as the app's latency.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(system=system), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"})

    def search(query: str) -> list[str]:
        answer = client.get("/api/ask", params={"q": query, "limit": K})
        answer.raise_for_status()
        return [r["source"] or "" for r in answer.json()["results"]]

    try:
        yield search
    finally:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries (quick runs)")
    parser.add_argument(
        "--sample", type=int, default=0, help="N queries spread evenly over the chosen half (quick runs)"
    )
    parser.add_argument(
        "--semantic",
        choices=("cached", "cold", "off"),
        default="cached",
        help="cached: passage vectors persist across runs in a temporary folder (later runs embed nothing); "
        "cold: embed everything again (measures the embedding cost); off: lexical only",
    )
    parser.add_argument(
        "--half",
        choices=("all", "tune", "heldout"),
        default="all",
        help="tune: queries at even positions (for development); heldout: odd positions (final check only)",
    )
    arguments = parser.parse_args()
    if not CORPUS.exists() or not QUERIES.exists():
        print(
            f"shared data not found under {SHARED.resolve()}; this benchmark needs ../shared", file=sys.stderr
        )
        return 2
    queries = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    if arguments.half != "all":
        queries = queries[arguments.half == "heldout" :: 2]
    if arguments.sample and arguments.sample < len(queries):
        step = len(queries) / arguments.sample
        queries = [queries[int(i * step)] for i in range(arguments.sample)]
    if arguments.limit:
        queries = queries[: arguments.limit]
    texts = page_texts()
    systems: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        system, org_id, import_seconds, lessons = skillbite_system(Path(folder))
        engine = system.db.engine
        # The first query after an import builds the organisation's in-memory snapshot; timed on its own.
        started = time.perf_counter()
        skillbite_searcher(engine, org_id)("warm up")
        snapshot_seconds = time.perf_counter() - started
        systems["skillbite_lexical"] = evaluate(skillbite_searcher(engine, org_id), queries)
        with http_searcher(system) as over_http:
            over_http("warm up")
            systems["skillbite_lexical_http"] = evaluate(over_http, queries)
        semantic = None
        if arguments.semantic != "off":
            semantic = semantic_costs(engine, org_id, Path(folder), arguments.semantic == "cold")
        if semantic is not None:
            reranker, semantic_summary = semantic
            systems["skillbite_semantic"] = evaluate(skillbite_searcher(engine, org_id, reranker), queries)
        system.close()
    systems["bm25s"] = evaluate(bm25s_searcher(texts), queries)
    systems["fts5"] = evaluate(fts5_searcher(texts), queries)
    result: dict[str, Any] = {
        "systems": systems,
        "import": {"seconds": round(import_seconds, 2), "lessons": lessons, "database": "sqlite"},
        "snapshot_build_seconds": round(snapshot_seconds, 2),
        "half": arguments.half,
        "queries": len(queries),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "mrr_ratio_vs_bm25s": round(
            systems["skillbite_lexical"]["mrr@10"] / max(systems["bm25s"]["mrr@10"], 1e-9), 3
        ),
    }
    if semantic is not None:
        result["semantic"] = semantic_summary
        result["semantic_mrr_ratio_vs_bm25s"] = round(
            systems["skillbite_semantic"]["mrr@10"] / max(systems["bm25s"]["mrr@10"], 1e-9), 3
        )
    if arguments.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
