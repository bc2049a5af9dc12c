"""Fit skillbite's knowledge-tracing parameters on a training split: the production fitter, nothing else.

The fitter lives in the package (`skillbite.domain.tracing_fit`: base rates, global weights, then per-skill
terms and transfer, see `tracing_fit_global` and `tracing_fit_skills`), and the organisation job
(services/tracing_jobs.py) runs the same code, so this bench measures what production fits.
"""

from __future__ import annotations

from mastery_data import Sequence_
from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import TracingParams
from skillbite.domain.tracing_fit import fit_tracing_params


def fit_on(learners: list[Sequence_], *, per_skill: bool = True) -> TracingParams:
    """All stages on one training split (see `fit_tracing_params`)."""
    typed = [[(SkillId(skill), correct) for skill, correct in sequence] for sequence in learners]
    return fit_tracing_params(typed, per_skill=per_skill)
