"""SkillGraph: cycles, dangling prerequisites, closure, topological order and depth, on random DAGs."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.content import Skill
from skillbite.domain.ids import SkillId
from skillbite.domain.skill_graph import SkillCycleError, SkillGraph, UnknownSkillError

NAMES = [*"abcdefghijklmnop", "git.stage", "git.commit", "a-b", "a.b", "zz"]


def graph(edges: dict[str, list[str]]) -> SkillGraph:
    return SkillGraph({SkillId(k): [SkillId(v) for v in vs] for k, vs in edges.items()})


@st.composite
def dags(draw: st.DrawFn) -> dict[str, list[str]]:
    """Random DAGs: skill i may only require skills of a lower index; ids are shuffled names so that the
    index order is not the id order."""
    size = draw(st.integers(0, 12))
    names = draw(st.permutations(NAMES))[:size]
    return {
        name: sorted(draw(st.sets(st.sampled_from(names[:index]), max_size=4))) if index else []
        for index, name in enumerate(names)
    }


def reachable(edges: dict[str, list[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges[node])
    return seen


def longest_chain(edges: dict[str, list[str]], start: str) -> int:
    return 1 + max((longest_chain(edges, p) for p in edges[start]), default=0)


@settings(deadline=None)
@given(dags())
def test_a_dag_has_no_cycle(edges: dict[str, list[str]]) -> None:
    assert graph(edges).find_cycle() is None


@settings(deadline=None)
@given(dags())
def test_topological_order_puts_every_prerequisite_first(edges: dict[str, list[str]]) -> None:
    order = graph(edges).topological_order()
    assert sorted(order) == sorted(edges)
    position = {skill: i for i, skill in enumerate(order)}
    for skill, prereqs in edges.items():
        assert all(position[p] < position[skill] for p in prereqs)


@settings(deadline=None)
@given(dags(), st.data())
def test_order_of_a_subset_respects_prerequisites_reached_through_other_skills(
    edges: dict[str, list[str]], data: st.DataObject
) -> None:
    subset = data.draw(st.sets(st.sampled_from(sorted(edges)))) if edges else set()
    order = graph(edges).topological_order(subset)
    assert sorted(order) == sorted(subset)
    for later_index, later in enumerate(order):
        for earlier in order[later_index + 1 :]:
            # `earlier` is placed after `later`, so `later` must not require it, even indirectly
            assert earlier not in reachable(edges, later) - {later}


@settings(deadline=None)
@given(dags())
def test_order_is_deterministic_whatever_the_input_order(edges: dict[str, list[str]]) -> None:
    reversed_input = dict(reversed(list(edges.items())))
    assert graph(edges).topological_order() == graph(reversed_input).topological_order()


@settings(deadline=None)
@given(dags(), st.data())
def test_closure_is_everything_reachable(edges: dict[str, list[str]], data: st.DataObject) -> None:
    targets = data.draw(st.sets(st.sampled_from(sorted(edges)))) if edges else set()
    expected = set().union(*(reachable(edges, t) for t in targets)) if targets else set()
    assert graph(edges).prerequisite_closure(targets) == expected


@settings(deadline=None)
@given(dags())
def test_depth_is_the_longest_prerequisite_chain(edges: dict[str, list[str]]) -> None:
    expected = max((longest_chain(edges, s) for s in edges), default=0)
    assert graph(edges).depth() == expected


@settings(deadline=None)
@given(dags(), st.data())
def test_a_back_edge_makes_a_cycle_that_find_cycle_reports(
    edges: dict[str, list[str]], data: st.DataObject
) -> None:
    chains = [(s, p) for s in edges for p in reachable(edges, s) if p != s]
    if not chains:
        return
    skill, ancestor = data.draw(st.sampled_from(sorted(chains)))
    edges = {**edges, ancestor: [*edges[ancestor], skill]}  # the ancestor now requires its dependent
    cycle = graph(edges).find_cycle()
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert cycle[0] == min(cycle), "rotated to start at the smallest id"
    for a, b in pairwise(cycle):
        assert b in edges[a], f"{a} -> {b} is not an edge"
    with pytest.raises(SkillCycleError, match=" -> "):
        graph(edges).topological_order()


def test_cycle_is_printed_as_a_closed_path() -> None:
    cycle = graph({"a": ["b"], "b": ["c"], "c": ["a"], "d": []}).find_cycle()
    assert cycle == ["a", "b", "c", "a"]
    assert str(SkillCycleError([SkillId(s) for s in cycle])).startswith(
        "skill prerequisites form a cycle: a -> b -> c -> a"
    )


def test_a_skill_requiring_itself_is_a_cycle() -> None:
    assert graph({"a": ["a"]}).find_cycle() == ["a", "a"]


def test_missing_prerequisites_are_listed_and_ignored_by_traversals() -> None:
    g = graph({"b": ["a", "ghost"], "a": ["other-pack:x"]})
    assert g.missing_prerequisites() == [("a", "other-pack:x"), ("b", "ghost")]
    assert g.prerequisite_closure([SkillId("b")]) == {"b", "a"}
    assert g.topological_order() == ["a", "b"]
    assert g.depth() == 2


def test_ties_are_broken_by_id() -> None:
    assert graph({"c": [], "a": [], "b": ["c"]}).topological_order() == ["a", "c", "b"]


def test_built_from_skills() -> None:
    skills = [
        Skill(SkillId("git.commit"), "Commit", prerequisites=(SkillId("git.stage"),)),
        Skill(SkillId("git.stage"), "Stage"),
    ]
    g = SkillGraph.from_skills(skills)
    assert g.skills == {"git.commit", "git.stage"}
    assert g.prerequisites_of(SkillId("git.commit")) == ("git.stage",)
    assert g.levels() == {"git.stage": 1, "git.commit": 2}


def test_unknown_skills_are_refused_with_their_id() -> None:
    with pytest.raises(UnknownSkillError, match="'nope' is not in the skill graph"):
        graph({"a": []}).prerequisite_closure([SkillId("nope")])
