"""Path planner: on random skill graphs the path is closed, excludes mastery, is ordered and minimal."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.content import Lesson
from skillbite.domain.ids import LessonId, SkillId
from skillbite.domain.path_planner import needed_skills, plan_path
from skillbite.domain.skill_graph import SkillGraph


def skill(i: int) -> SkillId:
    return SkillId(f"s{i:02d}")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[SkillGraph, list[SkillId], set[SkillId], list[Lesson]]:
    """A random DAG (edges only to lower numbers), targets, mastered skills and lessons with minutes."""
    n = draw(st.integers(1, 9))
    prerequisites = {
        skill(i): [skill(j) for j in draw(st.sets(st.integers(0, i - 1), max_size=3))] if i else []
        for i in range(n)
    }
    graph = SkillGraph(prerequisites)
    targets = [skill(i) for i in draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2))]
    mastered = {skill(i) for i in draw(st.sets(st.integers(0, n - 1), max_size=n))}
    lessons = [
        Lesson(
            LessonId(f"l{k}"),
            f"Lesson {k}",
            tuple(skill(i) for i in sorted(taught)),
            float(draw(st.integers(1, 6))),
            "",
        )
        for k, taught in enumerate(
            draw(st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=3), max_size=7))
        )
    ]
    return graph, targets, mastered, lessons


@given(scenarios())
@settings(max_examples=200, deadline=None)
def test_path_properties(scenario: tuple[SkillGraph, list[SkillId], set[SkillId], list[Lesson]]) -> None:
    graph, targets, mastered, lessons = scenario
    path = plan_path(graph, targets, mastered, lessons)
    needed = set(path.skills)
    # Excludes what is mastered, and contains every target not mastered.
    assert not needed & mastered
    assert {t for t in targets if t not in mastered} <= needed
    # Closed under prerequisites: each prerequisite of a needed skill is needed or mastered.
    for s in needed:
        assert all(p in needed or p in mastered for p in graph.prerequisites_of(s))
    # Respects order: prerequisites come first.
    position = {s: i for i, s in enumerate(path.skills)}
    for s in needed:
        assert all(position[p] < position[s] for p in graph.prerequisites_of(s) if p in needed)
    # Minimal skills: dropping any needed skill breaks closure or loses a target.
    for s in needed:
        smaller = needed - {s}
        broken = s in targets or any(s in graph.prerequisites_of(o) for o in smaller)
        assert broken
    # Lessons cover every needed skill some lesson teaches, and no cheaper cover exists (brute force).
    by_id = {lesson.id: lesson for lesson in lessons}
    teachable = {x for lesson in lessons for x in lesson.skills if x in needed}
    assert {x for lid in path.lessons for x in by_id[lid].skills if x in needed} == teachable
    assert set(path.untaught) == needed - teachable
    assert path.minutes == sum(by_id[lid].minutes for lid in path.lessons)
    useful = [lesson for lesson in lessons if set(lesson.skills) & needed]
    cheapest = min(
        (
            sum(lesson.minutes for lesson in combo)
            for size in range(len(useful) + 1)
            for combo in combinations(useful, size)
            if {x for lesson in combo for x in lesson.skills} >= teachable
        ),
        default=0.0,
    )
    assert path.minutes == cheapest
    # Lesson order: a lesson never comes before a lesson teaching a prerequisite it needs first.
    order = {lid: i for i, lid in enumerate(path.lessons)}
    latest = {lid: max(position[x] for x in by_id[lid].skills if x in needed) for lid in path.lessons}
    assert sorted(path.lessons, key=lambda lid: (latest[lid], lid)) == list(path.lessons)
    assert len(order) == len(path.lessons)


def test_a_chain_through_mastery() -> None:
    graph = SkillGraph({skill(0): [], skill(1): [skill(0)], skill(2): [skill(1)], skill(3): [skill(2)]})
    assert needed_skills(graph, [skill(3)], {skill(1)}) == {skill(3), skill(2)}
    lessons = [
        Lesson(LessonId("both"), "Both", (skill(2), skill(3)), 5.0, ""),
        Lesson(LessonId("two"), "Two", (skill(2),), 2.0, ""),
        Lesson(LessonId("three"), "Three", (skill(3),), 2.0, ""),
    ]
    path = plan_path(graph, [skill(3)], {skill(1)}, lessons)
    assert path.skills == (skill(2), skill(3))
    assert path.lessons == ("two", "three")
    assert path.minutes == 4.0


def test_mastered_target_needs_nothing() -> None:
    graph = SkillGraph({skill(0): [], skill(1): [skill(0)]})
    path = plan_path(graph, [skill(1)], {skill(1)}, [])
    assert path.skills == () and path.lessons == () and path.minutes == 0.0
