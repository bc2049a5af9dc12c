"""Just-in-time: a need in plain words -> the bites that answer it, and the shortest path to the skill.

The search index ranks lessons and says honestly whether it is confident. When it is, the target is the
skill the best lesson teaches; the path is that skill's prerequisite closure minus what the learner has
mastered (domain/path_planner), with the cheapest lessons in prerequisite order and their minutes.
"Learn now" turns the path into a session (SessionService.path); answering its items schedules their
spaced reinforcement.

With a semantic stage (`semantic_stage(data_dir)`, with the `skillbite[semantic]` extra and
SKILLBITE_SEMANTIC_SEARCH not `off`) the lexical ranking is fused with sentence-embedding similarity
(search/semantic.py); without one, search is lexical.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from skillbite.domain.content import Lesson
from skillbite.domain.ids import LessonId, OrgId, SkillId
from skillbite.domain.mastery import is_mastered
from skillbite.domain.path_planner import plan_path
from skillbite.domain.skill_graph import SkillGraph
from skillbite.search.backends import index_for
from skillbite.search.index import Answer, Hit
from skillbite.search.semantic import SemanticReranker, semantic_reranker
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput
from skillbite.services.mastery import learner_mastery
from skillbite.services.org_skills import prerequisite_subgraph, qualify
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import LessonRepository, PackRepository
from skillbite.store.tables.content import LessonRow

MAX_QUERY_CHARS = 500


@dataclass(frozen=True)
class AskResult:
    lesson_id: int
    pack: str
    lesson_key: str
    title: str
    score: float
    source: str | None
    snippet: str
    minutes: float


@dataclass(frozen=True)
class PathLesson:
    lesson_id: int
    pack: str
    lesson_key: str
    title: str
    minutes: float
    skills: tuple[str, ...]


@dataclass(frozen=True)
class AskAnswer:
    query: str
    confident: bool
    minutes: float
    path: tuple[PathLesson, ...]
    results: tuple[AskResult, ...]
    target_skills: tuple[str, ...] = ()
    already_mastered: bool = False
    corrections: dict[str, str] | None = None


def _lesson_rows(session: Session, org_id: int, hits: tuple[Hit, ...]) -> dict[tuple[str, str], LessonRow]:
    """The stored lessons of the hits: one query per pack."""
    packs = {p.key: p.id for p in PackRepository(session, org_id).all()}
    keys_by_pack: dict[str, list[str]] = {}
    for hit in hits:
        if hit.pack_id in packs:
            keys_by_pack.setdefault(hit.pack_id, []).append(hit.lesson_id)
    lessons = LessonRepository(session, org_id)
    return {
        (pack_key, row.key): row
        for pack_key, keys in keys_by_pack.items()
        for row in lessons.of_pack_keys(packs[pack_key], keys)
    }


WARM_UP_QUESTION = "how do i start"
"""Any question does: the snapshot is built whatever is asked; this one is cheap to answer."""


def semantic_stage(data_dir: Path, *, background: bool = True) -> SemanticReranker | None:
    """The semantic stage: passage vectors persisted under `<data_dir>/embeddings`; with `background` (a
    server) they are built in a thread and answers stay lexical meanwhile, without it (the CLI, whose batch
    answers must not change half-way) the first question waits for them. None without the extra."""
    return semantic_reranker(data_dir / "embeddings", background=background)


class AskService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        semantic: SemanticReranker | None = None,
        *,
        semantic_loader: Callable[[], SemanticReranker | None] | None = None,
    ) -> None:
        """`semantic_loader` builds the semantic stage on the first question (loading the model takes
        seconds: a command that never searches must not pay for it); `semantic` gives a ready one."""
        self.db = db
        self.clock = clock
        self._semantic = semantic
        self._semantic_loader = semantic_loader
        self._loading = threading.Lock()

    @property
    def semantic(self) -> SemanticReranker | None:
        if self._semantic_loader is not None:
            with self._loading:
                if self._semantic_loader is not None:
                    self._semantic = self._semantic_loader()
                    self._semantic_loader = None
        return self._semantic

    def search(self, org_id: int, query: str, limit: int = 10) -> Answer:
        query = query.strip()
        if not query:
            raise InvalidInput("type what you need to do, e.g. `undo my last commit`", field="q")
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidInput(f"keep the question under {MAX_QUERY_CHARS} characters", field="q")
        with self.db.transaction() as session:
            connection = session.connection()
            return index_for(connection, self.semantic).ask(connection, OrgId(org_id), query, limit)

    def warm(self, org_id: int) -> None:
        """Build the organisation's search snapshot now (and, with a semantic stage, embed its passages), so
        the first question after a start or an import does not wait for it."""
        self.search(org_id, WARM_UP_QUESTION, limit=1)
        if self.semantic is not None:
            self.semantic.warm(self.db.engine, OrgId(org_id))

    def ask(self, principal: Principal, query: str, limit: int = 10) -> AskAnswer:
        return self.ask_as(principal.org_id, principal.user_id, query, limit)

    def ask_as(self, org_id: int, user_id: int | None, query: str, limit: int = 10) -> AskAnswer:
        """Answer for a learner (their mastery shortens the path) or, with no learner, for a newcomer."""
        answer = self.search(org_id, query, limit)
        with self.db.transaction() as session:
            rows = _lesson_rows(session, org_id, answer.hits)
            results = tuple(
                AskResult(
                    lesson_id=rows[(h.pack_id, h.lesson_id)].id,
                    pack=h.pack_id,
                    lesson_key=h.lesson_id,
                    title=h.title,
                    score=round(h.score, 4),
                    source=h.source,
                    snippet=h.snippet,
                    minutes=h.minutes,
                )
                for h in answer.hits
                if (h.pack_id, h.lesson_id) in rows
            )
            if not answer.confident or not results:
                return AskAnswer(
                    query=answer.query,
                    confident=False,
                    minutes=0.0,
                    path=(),
                    results=results,
                    corrections=answer.corrections or None,
                )
            top = rows[(results[0].pack, results[0].lesson_key)]
            return self._with_path(session, org_id, user_id, answer, results, top)

    def _with_path(
        self,
        session: Session,
        org_id: int,
        user_id: int | None,
        answer: Answer,
        results: tuple[AskResult, ...],
        top: LessonRow,
    ) -> AskAnswer:
        packs = {p.id: p.key for p in PackRepository(session, org_id).all()}
        targets = [qualify(packs[top.pack_id], s) for s in top.skills]
        subgraph = prerequisite_subgraph(session, org_id, targets)
        graph = SkillGraph(subgraph)
        mastered: set[SkillId] = set()
        if user_id is not None:
            mastery = learner_mastery(session, org_id, user_id, self.clock(), subgraph)
            mastered = {skill for skill, m in mastery.items() if is_mastered(m)}
        needed = graph.prerequisite_closure(targets) - mastered
        # Candidate lessons: the best hit, and lessons of the packs that hold the other needed skills.
        candidate_rows = [top]
        if needed - set(targets):
            pack_ids = {pid for pid, key in packs.items() if any(s.startswith(f"{key}/") for s in needed)}
            candidate_rows += [
                r
                for r in LessonRepository(session, org_id).active(with_body=False)
                if r.pack_id in pack_ids and r.id != top.id
            ]
        lessons = [
            Lesson(
                id=LessonId(str(r.id)),
                title=r.title,
                minutes=r.minutes,
                body="",
                skills=tuple(qualify(packs[r.pack_id], s) for s in r.skills),
            )
            for r in candidate_rows
        ]
        path = plan_path(graph, targets, mastered, lessons)
        by_id = {r.id: r for r in candidate_rows}
        path_lessons = tuple(
            PathLesson(
                lesson_id=row.id,
                pack=packs[row.pack_id],
                lesson_key=row.key,
                title=row.title,
                minutes=row.minutes,
                skills=tuple(row.skills),
            )
            for row in (by_id[int(lid)] for lid in path.lessons)
        )
        return AskAnswer(
            query=answer.query,
            confident=True,
            minutes=path.minutes,
            path=path_lessons,
            results=results,
            target_skills=tuple(SkillId(t) for t in targets),
            already_mastered=not path_lessons,
            corrections=answer.corrections or None,
        )
