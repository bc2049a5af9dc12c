"""Skill map: layers by prerequisite depth, an accessible SVG of links, and a table with the same facts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.domain.ids import SkillId
from skillbite.services.principal import Principal
from skillbite.services.skill_map import layout, prerequisite_depths
from skillbite.web.routes.pages_skills import title_lines
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.services.learning_helpers import PASSWORD, import_demo, items_of, submission


@st.composite
def acyclic_graphs(draw: st.DrawFn) -> dict[SkillId, tuple[SkillId, ...]]:
    """A random DAG: skill n may only need skills numbered below n."""
    size = draw(st.integers(min_value=0, max_value=25))
    skills = [SkillId(f"p/s{n:02d}") for n in range(size)]
    return {
        skill: tuple(draw(st.sets(st.sampled_from(skills[:n]), max_size=3)) if n else ())
        for n, skill in enumerate(skills)
    }


@given(acyclic_graphs())
def test_every_skill_sits_below_all_its_prerequisites(graph: dict[SkillId, tuple[SkillId, ...]]) -> None:
    the_map = layout(graph, {}, {})
    layer = {node.skill: node.layer for node in the_map.nodes}
    assert set(layer) == set(graph)
    for skill, prerequisites in graph.items():
        assert all(layer[skill] > layer[p] for p in prerequisites)
        # Minimal: one layer below the deepest prerequisite, not lower.
        assert layer[skill] == 1 + max((layer[p] for p in prerequisites), default=-1)
    places = [(n.layer, n.position) for n in the_map.nodes]
    assert len(places) == len(set(places)), "two skills drawn at the same place"


def test_a_cycle_does_not_hang_and_every_skill_gets_a_layer() -> None:
    a, b, c = SkillId("p/a"), SkillId("p/b"), SkillId("p/c")
    depths = prerequisite_depths({a: (c,), b: (a,), c: (b,)})
    assert set(depths) == {a, b, c}


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Merge a branch", ("Merge a branch",)),
        ("Summarise rows with COUNT, SUM and AVG", ("Summarise rows with", "COUNT, SUM and AVG")),
        (
            "A very long title that does not fit on two short lines",
            ("A very long title that", "does not fit on two sh…"),
        ),
    ],
)
def test_titles_wrap_on_two_lines_at_most(title: str, lines: tuple[str, ...]) -> None:
    assert title_lines(title) == lines


@pytest.fixture
def member(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    principal = system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal
    import_demo(system, principal)
    return user, principal


def test_the_map_is_an_accessible_svg_with_a_link_per_skill_and_a_table(
    member: tuple[WebUser, Principal], system: System, clock: FakeClock
) -> None:
    user, principal = member
    skills = system.skill_map.of_learner(principal).nodes
    page = user.client.get("/learn/skills")
    assert page.status_code == 200
    svg = re.search(r"<svg id=\"skill-map-svg\".*?</svg>", page.text, re.S)
    assert svg
    assert '<title id="skill-map-title">' in svg.group(0) and '<desc id="skill-map-desc">' in svg.group(0)
    links = re.findall(r'<a href="/ask\?q=[^"]+" class="skill-node[^"]*" aria-label="([^"]+)"', svg.group(0))
    assert len(links) == len(skills) > 1
    assert all(label.endswith("not started") for label in links), "nothing practised yet"
    assert svg.group(0).count('class="edge"') == sum(len(n.prerequisites) for n in skills)
    table = re.search(r'<table id="skill-table">.*?</table>', page.text, re.S)
    assert table and table.group(0).count('<th scope="row">') == len(skills)
    assert "style=" not in page.text and "<script>" not in page.text

    system.reviews.submit(principal, [submission(i, clock()) for i in items_of(system, principal)[:6]])
    practised = [n for n in system.skill_map.of_learner(principal).nodes if n.started]
    assert practised
    again = user.client.get("/learn/skills").text
    for node in practised:
        assert f"{node.title}: {round(node.mastery * 100)}% mastered" in again
