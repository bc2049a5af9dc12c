"""Tracing parameters survive JSON (through text, as the database stores them) exactly, and a set written
by another model version is refused with a message that says to refit."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from skillbite.domain.knowledge_tracing import DEFAULT_TRACING_PARAMS, TracingParams
from skillbite.domain.tracing_params_json import (
    FORMAT_VERSION,
    TracingParamsFormatError,
    tracing_params_from_dict,
    tracing_params_to_dict,
)
from tests.domain.test_knowledge_tracing import monotone_params


def through_text(params: TracingParams) -> TracingParams:
    return tracing_params_from_dict(json.loads(json.dumps(tracing_params_to_dict(params))))


@given(monotone_params())
def test_round_trip_is_exact(params: TracingParams) -> None:
    assert through_text(params) == params


def test_defaults_round_trip_and_carry_the_format_version() -> None:
    assert tracing_params_to_dict(DEFAULT_TRACING_PARAMS)["format"] == FORMAT_VERSION
    assert through_text(DEFAULT_TRACING_PARAMS) == DEFAULT_TRACING_PARAMS


def test_another_format_is_refused() -> None:
    data = dict(tracing_params_to_dict(DEFAULT_TRACING_PARAMS), format=FORMAT_VERSION + 1)
    with pytest.raises(TracingParamsFormatError, match=r"format 2.*refit"):
        tracing_params_from_dict(data)


def test_weights_of_other_features_are_refused() -> None:
    data = tracing_params_to_dict(DEFAULT_TRACING_PARAMS)
    weights = dict(data["weights"])
    del weights["elo"]
    weights["shoe_size"] = 1.0
    with pytest.raises(TracingParamsFormatError, match=r"missing \['elo'\], unknown \['shoe_size'\].*refit"):
        tracing_params_from_dict(dict(data, weights=weights))


def test_a_missing_field_is_refused() -> None:
    data = dict(tracing_params_to_dict(DEFAULT_TRACING_PARAMS))
    del data["bias"]  # type: ignore[misc]
    with pytest.raises(TracingParamsFormatError, match="bias"):
        tracing_params_from_dict(data)
