"""`skillbite ask "QUERY"` and `skillbite ask --batch FILE --json`: just-in-time answers from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from skillbite.cli.context import fail, open_system, out_console, user_errors
from skillbite.services.ask import AskAnswer
from skillbite.wiring import System


def answer_json(answer: AskAnswer) -> dict[str, Any]:
    return {
        "query": answer.query,
        "confident": answer.confident,
        "minutes": answer.minutes,
        "path": [
            {
                "lesson_id": p.lesson_id,
                "pack": p.pack,
                "lesson_key": p.lesson_key,
                "title": p.title,
                "minutes": p.minutes,
            }
            for p in answer.path
        ],
        "results": [
            {
                "lesson_id": r.lesson_id,
                "title": r.title,
                "score": r.score,
                "source": r.source,
                "snippet": r.snippet,
            }
            for r in answer.results
        ],
    }


def _print(answer: AskAnswer) -> None:
    if not answer.results:
        out_console.print("Nothing here answers that yet.", markup=False)
        return
    if not answer.confident:
        out_console.print("Not sure anything here answers that; the closest lessons:", markup=False)
    else:
        out_console.print(
            f"Learn it now: {len(answer.path)} bite(s), about {answer.minutes:g} min", markup=False
        )
        for step, lesson in enumerate(answer.path, 1):
            out_console.print(f"  {step}. {lesson.title} ({lesson.minutes:g} min)", markup=False)
    for result in answer.results[:5]:
        out_console.print(
            f"- {result.title}  [{result.source or result.pack}]  {result.snippet}", markup=False
        )


def ask(
    query: Annotated[str | None, typer.Argument(help="What you need, in plain words.")] = None,
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "default",
    as_learner: Annotated[
        str | None, typer.Option("--as", help="Answer for this learner (their mastery).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="One query per line; one JSON line each.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many results.", min=1, max=50)] = 10,
) -> None:
    """Find the bites that answer a need, and the shortest path to the skill."""
    if (query is None) == (batch is None):
        raise fail("give a QUERY or --batch FILE (not both)")
    _ask(query, org, as_learner, as_json, batch, limit)


@user_errors
def _ask(
    query: str | None, org: str, as_learner: str | None, as_json: bool, batch: Path | None, limit: int
) -> None:
    with open_system() as system:
        org_id = system.organisations.get(org).id
        user_id = system.accounts.member(org, as_learner).user_id if as_learner else None
        if batch is not None:
            _batch(system, org_id, user_id, batch, limit)
            return
        assert query is not None
        answer = system.ask.ask_as(org_id, user_id, query, limit)
    if as_json:
        sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
    else:
        _print(answer)


def _batch(system: System, org_id: int, user_id: int | None, path: Path, limit: int) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise fail(f"{path}: cannot read it ({error.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            sys.stdout.write(json.dumps({"line": number, "query": "", "error": "empty line"}) + "\n")
            continue
        answer = system.ask.ask_as(org_id, user_id, line, limit)
        sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
