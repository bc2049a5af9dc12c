"""Benchmark: how well does the mastery model predict the next answer? (BENCHMARKS.md section 3)

    python bench/mastery.py --json

For ASSISTments 2009 (DKT's train/test split) and ASSISTments 2015 (pyKT's, fold -1 = test), both models
are fitted on the training split only, then every test answer is predicted before it is seen; after each
answer the models update on it (the learner's own earlier answers, as DKT does). As in DKT and pyKT, the
first answer of a test learner (nothing to predict it from) is not scored. The score is the rank-based AUC.

Models: `skillbite` (skillbite.domain.knowledge_tracing with its global weights, per-skill terms and
skill-to-skill transfer fitted here, see mastery_fit.py), `bkt` (standard 4-parameter BKT per skill, fitted by
EM in the same run). Extra keys: `skillbite_default` is the production model with its built-in default
parameters (nothing fitted on this data set's skills), `n_test` the scored answers.

`--validate` scores a validation split inside the training data instead (design choices are made there,
never on the test split); `--print-defaults` refits the production defaults.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

import numpy as np

import mastery_bkt
import mastery_fit
from mastery_data import SHARED_KT, Sequence_, assist2009, assist2015, validation_split
from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    DEFAULT_TRACING_PARAMS,
    FEATURE_NAMES,
    KnowledgeTracer,
    TracingParams,
)

DATASETS: dict[str, Callable[[], tuple[list[Sequence_], list[Sequence_]]]] = {
    "assist2009": assist2009,
    "assist2015": assist2015,
}


def roc_auc(outcomes: np.ndarray, scores: np.ndarray) -> float:
    """Rank-based AUC (Mann-Whitney U), ties counted as half."""
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores))
    # Average rank for each run of tied scores.
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(scores)]])
    average = (starts + ends - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(average, ends - starts)
    positives = outcomes == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def predict_skillbite(params: TracingParams, learners: list[Sequence_]) -> list[list[float]]:
    predictions: list[list[float]] = []
    for sequence in learners:
        tracer = KnowledgeTracer(params)
        row: list[float] = []
        for skill, correct in sequence:
            row.append(tracer.predict(SkillId(skill)))
            tracer.observe(SkillId(skill), correct)
        predictions.append(row)
    return predictions


def scored(learners: list[Sequence_], predictions: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes and predictions of every answer but each learner's first."""
    outcomes = [correct for sequence in learners for _, correct in sequence[1:]]
    scores = [p for row in predictions for p in row[1:]]
    return np.asarray(outcomes, dtype=np.int64), np.asarray(scores, dtype=np.float64)


def run_dataset(name: str, *, validate: bool = False) -> dict[str, object]:
    started = time.perf_counter()
    train, test = validation_split(name) if validate else DATASETS[name]()
    params = mastery_fit.fit_on(train)
    bkt = mastery_bkt.fit(train)
    aucs: dict[str, float] = {}
    for model, predictions in (
        ("skillbite", predict_skillbite(params, test)),
        ("bkt", mastery_bkt.predict_online(bkt, test)),
        ("skillbite_default", predict_skillbite(DEFAULT_TRACING_PARAMS, test)),
    ):
        outcomes, scores = scored(test, predictions)
        aucs[model] = round(roc_auc(outcomes, scores), 4)
    return {
        "auc": aucs,
        "n_train": sum(len(s) for s in train),
        "n_test": len(outcomes),
        "seconds": round(time.perf_counter() - started, 1),
    }


def print_defaults() -> None:
    """Fit the global model (no per-skill terms) on ASSISTments 2015 train: the production defaults.

    2015 rather than 2009: pyKT removed its duplicated rows, which would teach the model to trust a repeat of
    the last answer far more than real practice warrants."""
    train, _ = assist2015()
    params = mastery_fit.fit_on(train, per_skill=False)
    print(f"bias={params.bias:.4f},")
    print("weights=(")
    for feature, weight in zip(FEATURE_NAMES, params.weights, strict=True):
        print(f"    {weight:.4f},  # {feature}")
    print("),")
    print(f"default_base_logit={params.default_base_logit:.4f},")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.add_argument("--print-defaults", action="store_true", help="fit and print the production defaults")
    parser.add_argument(
        "--validate",
        action="store_true",
        help="score a validation split of the training data instead of the test split (for design choices)",
    )
    args = parser.parse_args()
    if not SHARED_KT.is_dir():
        print(f"skipped: the knowledge-tracing data is missing at {SHARED_KT}", file=sys.stderr)
        return 2
    if args.print_defaults:
        print_defaults()
        return 0
    print(json.dumps({name: run_dataset(name, validate=args.validate) for name in DATASETS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
