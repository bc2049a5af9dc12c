"""Memory-model benchmark: how well each model predicts recall on real Anki review logs.

Protocol (../shared/BENCHMARKS.md section 1, after open-spaced-repetition/srs-benchmark): per log, the reviews
that FSRS scores (a later calendar day than the card's previous review) in time order, cut into 5 equal
consecutive parts; part k (k = 2..5) is predicted by models fitted on parts 1..k-1 only; the four test
scores are averaged. Same-day reviews are never scored but stay in each card's history.

Models: `constant` (training recall rate), `sm2` (SM-2 interval I as in srs-benchmark, R = 0.9 ** (t / I)),
`fsrs6_default`, `fsrs6_optimized` (fsrs-rs optimiser with its defaults on the training parts) and `skillbite`
(the product's own `personal_params.fit_parameters` on the same training parts: FSRS-6 trained for
TRAINING_EPOCHS epochs instead of 5; see docs/learning-engine.md for what was tried and did not help).

    python bench/memory.py --json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import fsrs_rs_python as fsrs
import numpy as np

from skillbite.domain.personal_params import ScoredReview, fit_parameters

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SRS = SHARED / "data" / "srs"
N_PARTS = 5
EPS = 1e-4


@dataclass
class Dataset:
    name: str
    n_reviews: int
    histories: list[tuple[tuple[int, int], ...]]
    """For each scored review: the card's earlier reviews as (grade, days since the previous review)."""
    delta_t: np.ndarray
    label: np.ndarray


def load_josh(path: Path) -> Dataset:
    with path.open() as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["review_time"])
    history: dict[str, list[tuple[int, int]]] = defaultdict(list)
    last_day: dict[str, int] = {}
    histories, deltas, labels = [], [], []
    for row in rows:
        card, grade = row["card_id"], int(row["review_rating"])
        day = datetime.fromisoformat(row["review_time"]).date().toordinal()
        days = day - last_day[card] if card in last_day else 0
        if card in last_day and days > 0:
            histories.append(tuple(history[card]))
            deltas.append(days)
            labels.append(1 if grade > 1 else 0)
        history[card].append((grade, days))
        last_day[card] = day
    return Dataset("pyfsrs_review_logs_josh", len(rows), histories, np.array(deltas), np.array(labels))


def load_seq2seq(path: Path) -> Dataset:
    """One row per card, in the file's order (the file has no dates, so card order stands for time)."""
    histories, deltas, labels = [], [], []
    n_labelled = 0
    with path.open() as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        for row in reader:
            t_hist = [int(x) for x in row["t_history"].split(",")]
            r_hist = [int(x) for x in row["r_history"].split(",")]
            next_t = [int(x) for x in row["delta_ts"].split(",")]
            ys = [int(x) for x in row["ys"].split(",")]
            n_labelled += len(ys)
            for i, (days, y) in enumerate(zip(next_t, ys, strict=True)):
                if days > 0:
                    histories.append(tuple(zip(r_hist[: i + 1], t_hist[: i + 1], strict=True)))
                    deltas.append(days)
                    labels.append(y)
    return Dataset("fsrs_optimizer_tiny_seq2seq", n_labelled, histories, np.array(deltas), np.array(labels))


# ---- models ---------------------------------------------------------------------------------------------


def sm2_interval(history: tuple[tuple[int, int], ...]) -> float:
    """SuperMemo-2 as srs-benchmark runs it on Anki grades (1-4 mapped to quality 2-5)."""
    interval, ease, reps = 0.0, 2.5, 0
    for grade, _ in history:
        quality = grade + 1
        if quality > 2:
            interval = 1.0 if reps == 0 else 6.0 if reps == 1 else interval * ease
            reps += 1
        else:
            interval, reps = 1.0, 0
        ease = max(1.3, ease + (0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02)))
        interval = max(1.0, round(interval + 0.01))
    return interval


def fsrs_predict(params: list[float], data: Dataset, rows: np.ndarray) -> np.ndarray:
    model = fsrs.FSRS(params)
    items = [fsrs.FSRSItem([fsrs.FSRSReview(g, d) for g, d in data.histories[i]]) for i in rows]
    stability = np.array([s.stability for s in model.memory_state_batch(items)])
    decay = params[20]
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return (1.0 + factor * data.delta_t[rows] / stability) ** -decay


def scored_review(data: Dataset, i: int) -> ScoredReview:
    return ScoredReview(data.histories[i], 3 if data.label[i] else 1, int(data.delta_t[i]))


def fsrs_fit(data: Dataset, rows: np.ndarray) -> list[float]:
    items = [
        fsrs.FSRSItem(
            [
                fsrs.FSRSReview(g, d)
                for g, d in (*data.histories[i], (3 if data.label[i] else 1, data.delta_t[i]))
            ]
        )
        for i in rows
    ]
    return [float(w) for w in fsrs.FSRS(fsrs.DEFAULT_PARAMETERS).compute_parameters(items)]


# ---- metrics --------------------------------------------------------------------------------------------


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Mann-Whitney AUC with average ranks for ties."""
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    i = 0
    while i < len(p):
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = y.sum()
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return math.nan
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _bin(x: float, scale: float, base: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(x) / math.log(base)), digits)


def rmse_bins(p: np.ndarray, y: np.ndarray, data: Dataset, rows: np.ndarray) -> float:
    """srs-benchmark RMSE(bins): bins by (interval, number of reviews, lapses) on a log scale."""
    groups: dict[tuple[float, float, float], list[int]] = defaultdict(list)
    for k, i in enumerate(rows):
        history = data.histories[i]
        lapses = sum(1 for g, _ in history if g == 1)
        key = (
            _bin(float(data.delta_t[i]), 2.48, 3.62, 2),
            _bin(float(len(history)), 1.99, 1.89, 0),
            _bin(float(lapses), 1.65, 1.73, 0) if lapses else 0.0,
        )
        groups[key].append(k)
    total = sum(len(g) for g in groups.values())
    square = sum(len(g) * (p[g].mean() - y[g].mean()) ** 2 for g in map(np.array, groups.values()))
    return float(math.sqrt(square / total))


# ---- protocol -------------------------------------------------------------------------------------------


def evaluate(data: Dataset) -> dict[str, dict[str, float]]:
    parts = np.array_split(np.arange(len(data.label)), N_PARTS)
    scores: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    sm2 = np.array([sm2_interval(h) for h in data.histories])
    for k in range(1, N_PARTS):
        train, test = np.concatenate(parts[:k]), parts[k]
        y = data.label[test]
        params = fsrs_fit(data, train)
        optimised = fsrs_predict(params, data, test)
        skillbite_params = list(fit_parameters([scored_review(data, i) for i in train]))
        predictions = {
            "constant": np.full(len(test), data.label[train].mean()),
            "sm2": 0.9 ** (data.delta_t[test] / sm2[test]),
            "fsrs6_default": fsrs_predict(list(fsrs.DEFAULT_PARAMETERS), data, test),
            "fsrs6_optimized": optimised,
            "skillbite": fsrs_predict(skillbite_params, data, test),
        }
        for model, p in predictions.items():
            scores[model].append((log_loss(p, y), rmse_bins(p, y, data, test), auc(p, y)))
    return {
        model: dict(
            zip(
                ("log_loss", "rmse_bins", "auc"),
                (round(float(np.mean(c)), 4) for c in zip(*s, strict=True)),
                strict=True,
            )
        )
        for model, s in scores.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.parse_args()
    if not SRS.is_dir():
        sys.exit(f"shared data not found at {SRS.resolve()}: check out ../shared next to the repository")
    started = time.perf_counter()
    datasets = [
        load_josh(SRS / "pyfsrs_review_logs_josh.csv"),
        load_seq2seq(SRS / "fsrs_optimizer_tiny_seq2seq.tsv"),
    ]
    result = {"datasets": {d.name: {"n_reviews": d.n_reviews, "models": evaluate(d)} for d in datasets}}
    print(json.dumps(result))
    print(f"memory benchmark: {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
