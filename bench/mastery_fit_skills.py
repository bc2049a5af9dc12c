"""Stage three of the fit (per-skill terms and skill-to-skill transfer) now lives in the package:
`skillbite.domain.tracing_fit_skills`, run by `mastery_fit.fit_on` through `skillbite.domain.tracing_fit`.

Re-exported here for scripts that tuned its penalties (`fit_skill_terms(design, params, l2_local=...)`).
"""

from __future__ import annotations

from skillbite.domain.tracing_fit_skills import (
    L2_INTERCEPT,
    L2_LOCAL,
    L2_TRANSFER,
    MIN_ANSWERS_PER_SKILL,
    fit_skill_terms,
)

MIN_ANSWERS = MIN_ANSWERS_PER_SKILL

__all__ = ["L2_INTERCEPT", "L2_LOCAL", "L2_TRANSFER", "MIN_ANSWERS", "fit_skill_terms"]
