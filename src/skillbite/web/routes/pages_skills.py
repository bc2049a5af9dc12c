"""Skill map: the organisation's prerequisite graph with the learner's mastery, drawn as SVG on the server.

Layers go top to bottom by prerequisite depth (foundations first); each node is a link to the ask page for
that skill, with its title and mastery % as text, so the drawing reads without colour. A table beside it
gives the same facts to screen readers and small screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from skillbite.services.skill_map import SkillMap, SkillNode
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.pages import render

router = APIRouter(include_in_schema=False)

NODE_WIDTH = 180
NODE_HEIGHT = 72
GAP_X = 24
GAP_Y = 56
MARGIN = 16
LINE_CHARS = 23


@dataclass(frozen=True)
class DrawnNode:
    node: SkillNode
    x: float
    y: float
    lines: tuple[str, ...]
    percent: int
    bar_width: float
    href: str


@dataclass(frozen=True)
class DrawnEdge:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]


def title_lines(title: str, width: int = LINE_CHARS) -> tuple[str, ...]:
    """The title on at most two lines of `width` characters, broken between words, ellipsis when cut."""
    lines: list[str] = []
    words = title.split()
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if len(lines) == 2 and words:
        lines[1] = lines[1] + " " + " ".join(words)
    return tuple(x if len(x) <= width else x[: width - 1].rstrip() + "…" for x in lines)


def draw(skill_map: SkillMap) -> Drawing:
    """Each layer a centred row; an edge runs from a prerequisite's bottom to the skill's top."""
    width = max(1, skill_map.widest) * (NODE_WIDTH + GAP_X) - GAP_X + 2 * MARGIN
    height = max(1, skill_map.layers) * (NODE_HEIGHT + GAP_Y) - GAP_Y + 2 * MARGIN
    per_layer: dict[int, int] = {}
    for node in skill_map.nodes:
        per_layer[node.layer] = per_layer.get(node.layer, 0) + 1
    drawn: dict[str, DrawnNode] = {}
    for node in skill_map.nodes:
        row_width = per_layer[node.layer] * (NODE_WIDTH + GAP_X) - GAP_X
        x = (width - row_width) / 2 + node.position * (NODE_WIDTH + GAP_X)
        y = MARGIN + node.layer * (NODE_HEIGHT + GAP_Y)
        percent = round(node.mastery * 100)
        drawn[node.skill] = DrawnNode(
            node=node,
            x=x,
            y=y,
            lines=title_lines(node.title),
            percent=percent,
            bar_width=round((NODE_WIDTH - 16) * node.mastery, 1),
            href="/ask?q=" + quote(node.title),
        )
    edges = tuple(
        DrawnEdge(
            x1=drawn[p].x + NODE_WIDTH / 2,
            y1=drawn[p].y + NODE_HEIGHT,
            x2=target.x + NODE_WIDTH / 2,
            y2=target.y,
        )
        for target in drawn.values()
        for p in target.node.prerequisites
        if p in drawn
    )
    return Drawing(width, height, tuple(drawn.values()), edges)


def skill_map_html(templates: Jinja2Templates, the_map: SkillMap) -> Markup:
    """The drawing and its table as HTML: a function of the map alone, so it is kept with the map."""
    return Markup(  # noqa: S704 - rendered by the autoescaping environment
        templates.get_template("learn/_skill_map_body.html").render(
            drawing=draw(the_map),
            titles={n.skill: n.title for n in the_map.nodes},
            mastered=sum(1 for n in the_map.nodes if n.mastered),
            node_width=NODE_WIDTH,
            node_height=NODE_HEIGHT,
        )
    )


@router.get("/learn/skills", response_class=HTMLResponse)
def skill_map(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    the_map = system.skill_map.of_learner(principal)
    templates: Jinja2Templates = request.app.state.templates
    body = system.views.derived("skill-map-html", the_map, lambda: skill_map_html(templates, the_map))
    return render(request, "learn/skills.html", principal=principal, body=body)
