"""The skill map: every skill of the organisation with the learner's mastery, laid out in layers by
prerequisite depth (a skill sits one layer below its deepest prerequisite), ready to draw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skillbite.domain.ids import SkillId
from skillbite.domain.mastery import is_mastered
from skillbite.services.clock import Clock
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.mastery import learner_mastery, org_skill_graph
from skillbite.services.principal import Principal
from skillbite.services.watermarks import ContentVersion
from skillbite.store.database import Database


@dataclass(frozen=True)
class SkillNode:
    skill: str
    title: str
    mastery: float
    """Mastery now, 0..1 (0 for a skill never practised)."""
    started: bool
    mastered: bool
    layer: int
    position: int
    """Index within its layer."""
    prerequisites: tuple[str, ...]


@dataclass(frozen=True)
class SkillMap:
    nodes: tuple[SkillNode, ...]
    layers: int
    widest: int


def prerequisite_depths(graph: Mapping[SkillId, tuple[SkillId, ...]]) -> dict[SkillId, int]:
    """Depth 0 for a skill without prerequisites, else 1 + the deepest prerequisite. A cycle (which pack
    validation rejects, but a cross-pack graph could still form) is cut where it closes."""
    depths: dict[SkillId, int] = {}
    visiting: set[SkillId] = set()

    def depth(skill: SkillId) -> int:
        if skill in depths:
            return depths[skill]
        if skill in visiting:
            return 0
        visiting.add(skill)
        found = 1 + max((depth(p) for p in graph.get(skill, ()) if p in graph), default=-1)
        visiting.discard(skill)
        depths[skill] = found
        return found

    for skill in sorted(graph):
        depth(skill)
    return depths


def layout(
    graph: Mapping[SkillId, tuple[SkillId, ...]],
    titles: Mapping[SkillId, str],
    mastery: Mapping[SkillId, tuple[float, bool]],
) -> SkillMap:
    depths = prerequisite_depths(graph)
    layers: dict[int, list[SkillId]] = {}
    # The first layer in id order (so each pack's foundations sit together); each later layer ordered by
    # where its prerequisites sit (the barycentre heuristic), which keeps most edges short and uncrossed.
    for skill in sorted(graph):
        layers.setdefault(depths[skill], []).append(skill)
    centre: dict[SkillId, float] = {}
    for layer in sorted(layers):

        def key(skill: SkillId) -> tuple[float, str]:
            above = [centre[p] for p in graph[skill] if p in centre]
            return (sum(above) / len(above) if above else 0.0, skill)

        layers[layer].sort(key=key)
        middle = (len(layers[layer]) - 1) / 2
        centre.update({skill: index - middle for index, skill in enumerate(layers[layer])})
    nodes = []
    for layer, skills in sorted(layers.items()):
        for position, skill in enumerate(skills):
            started = skill in mastery
            now, mastered = mastery.get(skill, (0.0, False))
            nodes.append(
                SkillNode(
                    skill=skill,
                    title=titles.get(skill, skill),
                    mastery=now,
                    started=started,
                    mastered=mastered,
                    layer=layer,
                    position=position,
                    prerequisites=tuple(graph[skill]),
                )
            )
    return SkillMap(tuple(nodes), len(layers), max((len(s) for s in layers.values()), default=0))


class SkillMapService:
    def __init__(self, db: Database, clock: Clock, views: LearnerViewCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.views = views

    def of_learner(self, principal: Principal) -> SkillMap:
        """The map laid out, kept between views while the learner's watermark stays
        (services/learner_view_cache)."""
        if self.views is None:
            return self._of_learner(principal, None)
        return self.views.view("skill-map", principal, lambda mark: self._of_learner(principal, mark.content))

    def _of_learner(self, principal: Principal, version: ContentVersion | None) -> SkillMap:
        with self.db.transaction() as session:
            graph, titles = org_skill_graph(self.views, session, principal.org_id, version)
            estimates = learner_mastery(session, principal.org_id, principal.user_id, self.clock(), graph)
        # A skill never practised has only the model's prior: show it as not started rather than as a
        # guess that would look like progress (the same rule as MasteryService.of_learner).
        mastery = {skill: (m.now, is_mastered(m)) for skill, m in estimates.items() if m.answers or m.items}
        return layout(graph, titles, mastery)
