"""`TracingParams` to and from JSON-ready dicts, with a format version (stored per organisation).

Weights are stored by feature name, not by position, so a stored set is read back only when it names exactly
the features of this version of the model; anything else is refused with a message saying to refit (the
organisation then uses the defaults until its next fit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    FEATURE_NAMES,
    PER_SKILL_FEATURE_NAMES,
    SkillTerms,
    TracingParams,
    Transfer,
)

FORMAT_VERSION = 1


class TransferDict(TypedDict):
    successes: float
    failures: float
    first_successes: float
    first_failures: float


class SkillTermsDict(TypedDict):
    intercept: float
    weights: dict[str, float]
    transfer: dict[str, TransferDict]


class TracingParamsDict(TypedDict):
    format: int
    bias: float
    weights: dict[str, float]
    skills: dict[str, SkillTermsDict]
    base_logits: dict[str, float]
    default_base_logit: float


class TracingParamsFormatError(ValueError):
    """A stored parameter set this version cannot read."""


def tracing_params_to_dict(params: TracingParams) -> TracingParamsDict:
    return {
        "format": FORMAT_VERSION,
        "bias": params.bias,
        "weights": dict(zip(FEATURE_NAMES, params.weights, strict=True)),
        "skills": {
            str(skill): {
                "intercept": terms.intercept,
                "weights": dict(zip(PER_SKILL_FEATURE_NAMES, terms.weights, strict=True)),
                "transfer": {
                    str(source): {
                        "successes": t.successes,
                        "failures": t.failures,
                        "first_successes": t.first_successes,
                        "first_failures": t.first_failures,
                    }
                    for source, t in sorted(terms.transfer.items())
                },
            }
            for skill, terms in sorted(params.skills.items())
        },
        "base_logits": {str(skill): logit for skill, logit in sorted(params.base_logits.items())},
        "default_base_logit": params.default_base_logit,
    }


def _weights(stored: Mapping[str, Any], names: tuple[str, ...], where: str) -> tuple[float, ...]:
    if set(stored) != set(names):
        missing = sorted(set(names) - set(stored))
        extra = sorted(set(stored) - set(names))
        raise TracingParamsFormatError(
            f"{where}: the stored weights do not match this model's features (missing {missing}, "
            f"unknown {extra}); refit the parameters (`skillbite mastery fit`)."
        )
    return tuple(float(stored[name]) for name in names)


def tracing_params_from_dict(data: Mapping[str, Any]) -> TracingParams:
    """The inverse of `tracing_params_to_dict`; raises TracingParamsFormatError on a shape it cannot read."""
    if data.get("format") != FORMAT_VERSION:
        raise TracingParamsFormatError(
            f"tracing parameters in format {data.get('format')!r}, this version reads format "
            f"{FORMAT_VERSION}; refit the parameters (`skillbite mastery fit`)."
        )
    try:
        skills = {
            SkillId(skill): SkillTerms(
                intercept=float(terms["intercept"]),
                weights=_weights(terms["weights"], PER_SKILL_FEATURE_NAMES, f"skills.{skill}.weights"),
                transfer={
                    SkillId(source): Transfer(
                        float(t["successes"]),
                        float(t["failures"]),
                        float(t["first_successes"]),
                        float(t["first_failures"]),
                    )
                    for source, t in terms["transfer"].items()
                },
            )
            for skill, terms in data["skills"].items()
        }
        return TracingParams(
            bias=float(data["bias"]),
            weights=_weights(data["weights"], FEATURE_NAMES, "weights"),
            skills=skills,
            base_logits={SkillId(s): float(v) for s, v in data["base_logits"].items()},
            default_base_logit=float(data["default_base_logit"]),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise TracingParamsFormatError(
            f"tracing parameters are missing or malformed at {error}; refit the parameters "
            "(`skillbite mastery fit`)."
        ) from error
