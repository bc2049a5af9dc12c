"""An honest verdict: does the top hit really answer the question, or is it merely the least bad match?

Two signals, both in 0..1 and independent of the corpus size:
- coverage: the share of the query's informative mass (each content word weighted by its rarity, unknown
  words counting as the rarest) that the top hit matches; "what is a p-value" over command-line pages
  matches "value" but not "p-value", so most of its mass stays unmatched;
- margin: how far the top score stands above the runner-up, relative to the top score.
A hit is confident when it covers most of the question, or covers a fair part of it and clearly stands out.
"""

from __future__ import annotations

from collections.abc import Sequence

from skillbite.search.query import QueryPlan
from skillbite.search.ranking import Scored

STRONG_COVERAGE = 0.75
FAIR_COVERAGE = 0.5
CLEAR_MARGIN = 0.25


def score_margin(scored: Sequence[Scored]) -> float:
    """(top - second) / top, 1.0 when there is a single hit, 0.0 when there is none."""
    if not scored or scored[0].score <= 0:
        return 0.0
    if len(scored) == 1:
        return 1.0
    return (scored[0].score - scored[1].score) / scored[0].score


def is_confident(plan: QueryPlan, scored: Sequence[Scored]) -> bool:
    if not scored or not plan.concepts:
        return False
    coverage = scored[0].coverage
    if coverage >= STRONG_COVERAGE:
        return True
    return coverage >= FAIR_COVERAGE and score_margin(scored) >= CLEAR_MARGIN
