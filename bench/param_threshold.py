"""When do a learner's own FSRS parameters beat the defaults? The experiment behind MIN_SCORED_REVIEWS.

On each review log in ../shared/data/srs, in time order (the seq2seq file: card order, it has no dates):
fit parameters with the product's optimiser (personal_params.fit_parameters) on the first N scored reviews
(reviews on a later day than the card's previous one), then compare the log loss of the fitted and of the
default parameters on the next WINDOW scored reviews, for growing N.

    python bench/param_threshold.py --json
"""

from __future__ import annotations

import argparse
import json
import sys

from memory import SRS, Dataset, load_josh, load_seq2seq
from skillbite.domain.memory import DEFAULT_PARAMS
from skillbite.domain.personal_params import ScoredReview, fit_parameters, log_loss

PREFIXES = (250, 500, 750, 1_000, 1_500, 2_000, 2_500, 3_000, 4_000, 6_000, 10_000, 20_000)
WINDOW = 2_000


def scored(data: Dataset) -> list[ScoredReview]:
    return [
        ScoredReview(history, 3 if label else 1, int(days))
        for history, days, label in zip(data.histories, data.delta_t, data.label, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.parse_args()
    if not SRS.is_dir():
        sys.exit(f"shared data not found at {SRS.resolve()}: check out ../shared next to the repository")
    result: dict[str, list[dict[str, float]]] = {}
    for data in (
        load_josh(SRS / "pyfsrs_review_logs_josh.csv"),
        load_seq2seq(SRS / "fsrs_optimizer_tiny_seq2seq.tsv"),
    ):
        reviews = scored(data)
        rows = []
        for n in PREFIXES:
            test = reviews[n : n + WINDOW]
            if len(test) < WINDOW:
                break
            fitted = fit_parameters(reviews[:n])
            rows.append(
                {
                    "train_scored": n,
                    "log_loss_default": round(log_loss(DEFAULT_PARAMS, test), 4),
                    "log_loss_fitted": round(log_loss(fitted, test), 4),
                }
            )
        result[data.name] = rows
    print(json.dumps(result))


if __name__ == "__main__":
    main()
