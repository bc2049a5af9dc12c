"""Fast ranking experiments on the just-in-time benchmark, without a database.

    python bench/jit_tune.py --half tune [--json]

Builds the tldr-pages corpus as search documents and an in-memory snapshot directly (the same code the
import and `OrgSnapshot` run, minus SQL), then answers the nl2bash dev queries of the chosen half with the
in-memory ranking. Used to choose settings on the **tune** half (even positions) and to check them once on
the **held-out** half (odd positions), and on a split by labelled command (`commands-a` / `commands-b`:
the two halves share no command, so a prior that merely memorised the tuning half's commands would not carry
over); bench/jit.py remains the reference figure (through the import service and the database). `--pseudo N`
instead asks N example descriptions of the corpus itself, each for its own page with that example removed
from the page (a self-supervised set that is not the dev set).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "data" / "corpora" / "tldr-pages-en.tar.gz"
QUERIES = SHARED / "data" / "queries" / "nl2bash_tldr_dev.jsonl"
K = 10


def command_of(page: str) -> str:
    return page.rsplit("/", 1)[-1]


def candidates_from_documents(docs: list) -> list:  # type: ignore[type-arg]
    """Candidates as `LexicalIndex.replace_documents` stores them and `OrgSnapshot` reads them back."""
    from skillbite.search.documents import FIELDS
    from skillbite.search.prior import code_mentions
    from skillbite.search.ranking import Candidate

    mentions = code_mentions([doc.title for doc in docs], [doc.code_names for doc in docs])
    return [
        Candidate(
            row_id=position + 1,
            pack_id="tldr-pages",
            lesson_id=str(doc.lesson_id),
            title=doc.title,
            source=doc.source,
            minutes=doc.minutes,
            skills=tuple(doc.skills),
            fields={name: doc.field_terms()[name] for name in FIELDS},
            examples_json=json.dumps([[e.item_id, e.text, e.answer] for e in doc.examples]),
            mentions=mentions[position],
        )
        for position, doc in enumerate(docs)
    ]


def evaluate(search, queries: list[tuple[str, set[str]]]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    ranks: list[float] = []
    hits = {1: 0, 3: 0, 10: 0}
    started = time.perf_counter()
    for text, wanted in queries:
        pages = search(text)[:K]
        rank = next((i for i, page in enumerate(pages) if command_of(page) in wanted), None)
        ranks.append(0.0 if rank is None else 1.0 / (rank + 1))
        for k in hits:
            hits[k] += rank is not None and rank < k
    n = max(len(queries), 1)
    return {
        "hit@1": round(hits[1] / n, 4),
        "hit@3": round(hits[3] / n, 4),
        "hit@10": round(hits[10] / n, 4),
        "mrr@10": round(sum(ranks) / n, 4),
        "ms_per_query": round((time.perf_counter() - started) * 1000 / n, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--half",
        choices=("all", "tune", "heldout", "commands-a", "commands-b"),
        default="tune",
        help="tune / heldout: even / odd positions; commands-a / -b: by labelled command (crc32 parity)",
    )
    parser.add_argument("--pseudo", type=int, default=0, help="ask N corpus example descriptions instead")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    if not CORPUS.exists() or not QUERIES.exists():
        print(f"shared data not found under {SHARED.resolve()}", file=sys.stderr)
        return 2
    from skillbite.content.importers.tldr import tldr_pack
    from skillbite.search.documents import documents_from_pack
    from skillbite.search.lexical import LexicalIndex
    from skillbite.search.query import plan_query
    from skillbite.search.snapshot import OrgSnapshot

    pack = tldr_pack(CORPUS)
    if arguments.pseudo:
        rng = random.Random(5)
        chosen = rng.sample(
            [i for i, lesson in enumerate(pack.lessons) if len(lesson.items) > 1], arguments.pseudo
        )
        lessons = list(pack.lessons)
        queries = []
        for index in chosen:
            lesson = lessons[index]
            item = lesson.items[rng.randrange(len(lesson.items))]
            prompt = item.body.prompt  # type: ignore[union-attr]
            body = "\n".join(line for line in lesson.body.splitlines() if prompt not in line)
            lessons[index] = replace(lesson, items=tuple(i for i in lesson.items if i is not item), body=body)
            queries.append((prompt, {command_of(str(lesson.source))}))
        pack = replace(pack, lessons=tuple(lessons))
    else:
        rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
        if arguments.half in ("tune", "heldout"):
            rows = rows[arguments.half == "heldout" :: 2]
        elif arguments.half.startswith("commands"):
            parity = arguments.half == "commands-b"
            rows = [r for r in rows if zlib.crc32(command_of(r["primary_pages"][0]).encode()) % 2 == parity]
        queries = [(r["query"], {command_of(p) for p in r["primary_pages"]}) for r in rows]
    _, docs = documents_from_pack(pack)
    snapshot = OrgSnapshot(candidates_from_documents(docs))

    def search(text: str) -> list[str]:
        plan = plan_query(text, snapshot)
        if not plan.all_terms():
            return []
        return [s.candidate.source or "" for s in LexicalIndex._scored_in_memory(plan, snapshot)[:K]]

    result = evaluate(search, queries)
    result["queries"] = len(queries)
    print(json.dumps(result) if arguments.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
