"""The shortest path to a skill: what a learner still needs before (and for) a target, in order, with minutes.

Needed skills are the targets and, transitively, their prerequisites, walking down the prerequisite graph
but never through a skill the learner has mastered: mastering a skill stands for knowing what it builds on.
Mastered skills are never needed. The needed skills come in an order where every prerequisite precedes the
skills that build on it (SkillGraph.topological_order; ties by skill id).

Lessons: the cheapest set (fewest total minutes; then fewest lessons; then smallest ids) of lessons that
together teach every needed skill that some lesson teaches, found by an exact branch-and-bound search
(set cover is NP-hard, but the sets met here are small; past `EXACT_SEARCH_LIMIT` steps the search keeps
its best answer so far, which starts from a greedy cover). Each lesson is placed at the position of the
latest needed skill it teaches, so every prerequisite of what it teaches is covered earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from skillbite.domain.content import Lesson
from skillbite.domain.ids import LessonId, SkillId
from skillbite.domain.skill_graph import SkillGraph

EXACT_SEARCH_LIMIT = 20_000


@dataclass(frozen=True)
class LearningPath:
    skills: tuple[SkillId, ...]
    """Skills still to learn, prerequisites first."""
    lessons: tuple[LessonId, ...]
    """Lessons to take, in order."""
    minutes: float
    """Total estimated minutes of `lessons`."""
    untaught: tuple[SkillId, ...] = ()
    """Needed skills that no lesson teaches (the path cannot cover them)."""


def needed_skills(graph: SkillGraph, targets: Iterable[SkillId], mastered: Iterable[SkillId]) -> set[SkillId]:
    """Targets and their prerequisites, not walking through (nor including) mastered skills."""
    known = set(mastered)
    needed: set[SkillId] = set()
    stack = [t for t in targets if t not in known]
    while stack:
        skill = stack.pop()
        if skill in needed:
            continue
        needed.add(skill)
        stack.extend(p for p in graph.prerequisites_of(skill) if p not in known)
    return needed


@dataclass(frozen=True)
class _Option:
    lesson_id: LessonId
    minutes: float
    teaches: frozenset[SkillId]


def _cost(chosen: list[_Option]) -> tuple[float, int, tuple[str, ...]]:
    return (round(sum(o.minutes for o in chosen), 9), len(chosen), tuple(sorted(o.lesson_id for o in chosen)))


def _greedy_cover(to_cover: set[SkillId], options: list[_Option]) -> list[_Option]:
    chosen: list[_Option] = []
    remaining = set(to_cover)
    while remaining:
        best = min(
            (o for o in options if o.teaches & remaining),
            key=lambda o: (o.minutes / len(o.teaches & remaining), o.lesson_id),
        )
        chosen.append(best)
        remaining -= best.teaches
    return chosen


def cheapest_cover(to_cover: set[SkillId], options: list[_Option]) -> list[_Option]:
    """The cheapest list of options whose `teaches` together include `to_cover` (every skill coverable)."""
    best = _greedy_cover(to_cover, options)
    best_cost = _cost(best)
    steps = 0
    by_skill = {
        s: sorted((o for o in options if s in o.teaches), key=lambda o: (o.minutes, o.lesson_id))
        for s in to_cover
    }

    def search(remaining: set[SkillId], chosen: list[_Option]) -> None:
        nonlocal best, best_cost, steps
        steps += 1
        if steps > EXACT_SEARCH_LIMIT:
            return
        if not remaining:
            cost = _cost(chosen)
            if cost < best_cost:
                best, best_cost = list(chosen), cost
            return
        if round(sum(o.minutes for o in chosen), 9) > best_cost[0]:
            return
        # Branch on the skill with the fewest ways to cover it: every cover must pick one of them.
        skill = min(remaining, key=lambda s: (len(by_skill[s]), s))
        for option in by_skill[skill]:
            chosen.append(option)
            search(remaining - option.teaches, chosen)
            chosen.pop()

    search(set(to_cover), [])
    return best


def plan_path(
    graph: SkillGraph,
    targets: Iterable[SkillId],
    mastered: Iterable[SkillId],
    lessons: Iterable[Lesson],
) -> LearningPath:
    """The ordered skills, the cheapest lessons and their minutes for reaching `targets` from `mastered`."""
    needed = needed_skills(graph, targets, mastered)
    order = graph.topological_order(needed)
    position = {skill: index for index, skill in enumerate(order)}
    options = [
        _Option(lesson.id, lesson.minutes, frozenset(s for s in lesson.skills if s in needed))
        for lesson in lessons
        if any(s in needed for s in lesson.skills)
    ]
    teachable = {s for o in options for s in o.teaches}
    chosen = cheapest_cover(teachable, options) if teachable else []
    chosen.sort(key=lambda o: (max(position[s] for s in o.teaches), o.lesson_id))
    return LearningPath(
        skills=tuple(order),
        lessons=tuple(o.lesson_id for o in chosen),
        minutes=round(sum(o.minutes for o in chosen), 9),
        untaught=tuple(s for s in order if s not in teachable),
    )
