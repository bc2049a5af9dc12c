"""Loaders for the knowledge-tracing data sets in ../shared/data/kt (see its SOURCES.txt).

A data set is a list of learners; a learner is a list of (skill, correct) answers in time order.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

Sequence_ = list[tuple[str, bool]]

SHARED_KT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "kt"


def _numbers(line: str) -> list[str]:
    return [token.strip() for token in line.split(",") if token.strip() != ""]


def load_dkt_builder(path: Path) -> list[Sequence_]:
    """DKT's ASSISTments 2009 files: three lines a learner (count, skill ids, correctness)."""
    lines = [line for line in path.read_text().splitlines() if line.strip() != ""]
    if len(lines) % 3 != 0:
        raise ValueError(
            f"{path}: {len(lines)} non-empty lines, expected a multiple of 3 (count/skills/answers)"
        )
    learners: list[Sequence_] = []
    for start in range(0, len(lines), 3):
        count = int(_numbers(lines[start])[0])
        skills = _numbers(lines[start + 1])
        answers = _numbers(lines[start + 2])
        if len(skills) != count or len(answers) != count:
            raise ValueError(
                f"{path}:{start + 1}: count {count} but {len(skills)} skills, {len(answers)} answers"
            )
        learners.append([(skill, answer == "1") for skill, answer in zip(skills, answers, strict=True)])
    return learners


def load_pykt(path: Path) -> dict[str, list[Sequence_]]:
    """pyKT's csv (fold,uid,concepts,responses[,...]): learners grouped by fold ("-1" is the test fold)."""
    folds: dict[str, list[Sequence_]] = {}
    with path.open(newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            skills = _numbers(row["concepts"])
            answers = _numbers(row["responses"])
            if len(skills) != len(answers):
                raise ValueError(f"{path}:{row_number}: {len(skills)} concepts but {len(answers)} responses")
            # pyKT pads with -1; padding is not an answer.
            sequence = [(s, a == "1") for s, a in zip(skills, answers, strict=True) if a != "-1"]
            folds.setdefault(row["fold"], []).append(sequence)
    return folds


def assist2009() -> tuple[list[Sequence_], list[Sequence_]]:
    return (
        load_dkt_builder(SHARED_KT / "dkt_assist2009_builder_train.csv"),
        load_dkt_builder(SHARED_KT / "dkt_assist2009_builder_test.csv"),
    )


def assist2015() -> tuple[list[Sequence_], list[Sequence_]]:
    train_folds = load_pykt(SHARED_KT / "pykt_assist2015" / "train_valid.csv")
    test_folds = load_pykt(SHARED_KT / "pykt_assist2015" / "test.csv")
    train = [sequence for fold in sorted(train_folds) for sequence in train_folds[fold]]
    return train, test_folds["-1"]


def validation_split(name: str) -> tuple[list[Sequence_], list[Sequence_]]:
    """A train/validation split inside the training data, for design choices (never the test split):
    ASSISTments 2015 fold 0 against folds 1-4; ASSISTments 2009 a fixed 20% of the training learners."""
    if name == "assist2015":
        folds = load_pykt(SHARED_KT / "pykt_assist2015" / "train_valid.csv")
        return [s for fold in sorted(folds) if fold != "0" for s in folds[fold]], folds["0"]
    train, _ = assist2009()
    order = list(range(len(train)))
    random.Random(0).shuffle(order)
    cut = len(order) // 5
    return [train[i] for i in order[cut:]], [train[i] for i in order[:cut]]
