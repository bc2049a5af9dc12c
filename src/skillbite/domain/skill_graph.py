"""The skill graph: skills and the prerequisites they build on.

An edge `a -> b` means "skill a requires skill b". Pack validation uses the graph to find cycles and
dangling prerequisites; the just-in-time path planner uses the closure and the topological order to
decide what a learner must know before a target skill. Everything here is deterministic: ties are broken
by skill id so that the same graph always gives the same path.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from skillbite.domain.content import Skill
from skillbite.domain.ids import SkillId


class SkillCycleError(ValueError):
    """The prerequisites form a cycle, so no order puts every prerequisite first."""

    def __init__(self, cycle: list[SkillId]) -> None:
        self.cycle = cycle
        super().__init__(
            "skill prerequisites form a cycle: " + " -> ".join(cycle) + "; remove one of these prerequisites"
        )


class UnknownSkillError(KeyError):
    """A skill id that is not in the graph was asked for."""

    def __str__(self) -> str:
        return f"skill {self.args[0]!r} is not in the skill graph"


class SkillGraph:
    """Skills and their prerequisites. Prerequisites that name no skill of the graph are kept aside
    (see `missing_prerequisites`) and ignored by the traversals."""

    def __init__(self, prerequisites: Mapping[SkillId, Iterable[SkillId]]) -> None:
        # dict.fromkeys keeps the authored order while dropping repeated prerequisites.
        self._declared: dict[SkillId, tuple[SkillId, ...]] = {
            skill: tuple(dict.fromkeys(prereqs)) for skill, prereqs in prerequisites.items()
        }
        self._requires: dict[SkillId, tuple[SkillId, ...]] = {
            skill: tuple(sorted(p for p in prereqs if p in self._declared))
            for skill, prereqs in self._declared.items()
        }

    @classmethod
    def from_skills(cls, skills: Iterable[Skill]) -> SkillGraph:
        return cls({skill.id: skill.prerequisites for skill in skills})

    @property
    def skills(self) -> frozenset[SkillId]:
        return frozenset(self._declared)

    def prerequisites_of(self, skill: SkillId) -> tuple[SkillId, ...]:
        """The direct prerequisites of `skill` that are in the graph, sorted by id."""
        self._require_known([skill])
        return self._requires[skill]

    def missing_prerequisites(self) -> list[tuple[SkillId, SkillId]]:
        """Pairs (skill, prerequisite) whose prerequisite is not a skill of the graph, sorted."""
        return sorted(
            (skill, prereq)
            for skill, prereqs in self._declared.items()
            for prereq in prereqs
            if prereq not in self._declared
        )

    def find_cycle(self) -> list[SkillId] | None:
        """One cycle as a closed path `[a, b, c, a]` (a requires b requires c requires a), or None.

        The cycle is rotated to start at its smallest id, so the answer does not depend on dict order.
        """
        state: dict[SkillId, int] = {}  # 1 = on the current DFS path, 2 = finished
        for root in sorted(self._declared):
            if state.get(root):
                continue
            path: list[SkillId] = [root]
            iterators = [iter(self._requires[root])]
            state[root] = 1
            while iterators:
                nxt = next(iterators[-1], None)
                if nxt is None:
                    state[path.pop()] = 2
                    iterators.pop()
                elif state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    start = cycle.index(min(cycle))
                    rotated = cycle[start:] + cycle[:start]
                    return [*rotated, rotated[0]]
                elif not state.get(nxt):
                    state[nxt] = 1
                    path.append(nxt)
                    iterators.append(iter(self._requires[nxt]))
        return None

    def prerequisite_closure(self, targets: Iterable[SkillId]) -> set[SkillId]:
        """The targets and everything they require, directly or transitively."""
        targets = list(targets)
        self._require_known(targets)
        seen: set[SkillId] = set()
        stack = list(targets)
        while stack:
            skill = stack.pop()
            if skill in seen:
                continue
            seen.add(skill)
            stack.extend(self._requires[skill])
        return seen

    def topological_order(self, subset: Iterable[SkillId] | None = None) -> list[SkillId]:
        """The skills of `subset` (default: all) with every prerequisite before the skills needing it.

        Order is also respected through skills outside the subset: if a requires b requires c and the
        subset is {a, c}, c comes first. Among skills free to go next, the smallest id goes first.
        Raises SkillCycleError when the skills involved form a cycle.
        """
        chosen = set(self._declared) if subset is None else set(subset)
        self._require_known(chosen)
        needs = self._edges_within(chosen)
        dependents: dict[SkillId, list[SkillId]] = {skill: [] for skill in chosen}
        for skill, prereqs in needs.items():
            for prereq in prereqs:
                dependents[prereq].append(skill)
        waiting = {skill: len(prereqs) for skill, prereqs in needs.items()}
        ready = [skill for skill, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        order: list[SkillId] = []
        while ready:
            skill = heapq.heappop(ready)
            order.append(skill)
            for dependent in dependents[skill]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(ready, dependent)
        if len(order) < len(chosen):
            cycle = self.find_cycle()
            assert cycle is not None, "Kahn's algorithm stalls only on a cycle"
            raise SkillCycleError(cycle)
        return order

    def levels(self) -> dict[SkillId, int]:
        """Each skill's level: 1 without prerequisites, else 1 + the highest level among them."""
        level: dict[SkillId, int] = {}
        for skill in self.topological_order():
            level[skill] = 1 + max((level[p] for p in self._requires[skill]), default=0)
        return level

    def depth(self) -> int:
        """The length, in levels, of the longest prerequisite chain (0 for an empty graph)."""
        return max(self.levels().values(), default=0)

    def _edges_within(self, chosen: set[SkillId]) -> dict[SkillId, set[SkillId]]:
        """For each chosen skill, the chosen skills it requires directly or through unchosen ones."""
        if len(chosen) == len(self._declared):
            return {skill: set(self._requires[skill]) for skill in chosen}
        edges: dict[SkillId, set[SkillId]] = {}
        for skill in chosen:
            found: set[SkillId] = set()
            seen: set[SkillId] = set()
            stack = list(self._requires[skill])
            while stack:
                prereq = stack.pop()
                if prereq in seen:
                    continue
                seen.add(prereq)
                if prereq in chosen:
                    found.add(prereq)  # its own edges carry the order further down
                else:
                    stack.extend(self._requires[prereq])
            edges[skill] = found
        return edges

    def _require_known(self, skills: Iterable[SkillId]) -> None:
        for skill in skills:
            if skill not in self._declared:
                raise UnknownSkillError(skill)
