"""A learning session as a list of steps carried in the page URL, so the player keeps no server-side state.

A step is `l<lesson id>` (read a lesson), `i<item id>` (answer a new item) or `r<item id>` (review a due
item); steps are joined with `.`: `l12.i40.i41.r7`. Every id is looked up through tenant-scoped services when
its step is shown, so a hand-edited URL reaches nothing outside the learner's organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from skillbite.services.errors import InvalidInput
from skillbite.services.sessions import SessionView

MAX_STEPS = 300
_STEP = re.compile(r"([lir])(\d{1,12})")

StepKind = Literal["l", "i", "r"]


@dataclass(frozen=True)
class Step:
    kind: StepKind
    id: int

    def __str__(self) -> str:
        return f"{self.kind}{self.id}"


def parse_steps(text: str) -> tuple[Step, ...]:
    steps = []
    for part in text.split(".") if text else []:
        match = _STEP.fullmatch(part)
        if match is None:
            raise InvalidInput(
                f"session step {part!r} is not l<id>, i<id> or r<id>; start the session again from Today",
                field="s",
            )
        kind: StepKind = match.group(1)  # type: ignore[assignment]
        steps.append(Step(kind, int(match.group(2))))
    if len(steps) > MAX_STEPS:
        raise InvalidInput(f"a session has at most {MAX_STEPS} steps", field="s")
    return tuple(steps)


def format_steps(steps: tuple[Step, ...] | list[Step]) -> str:
    return ".".join(str(step) for step in steps)


def steps_of_session(view: SessionView) -> list[Step]:
    """Due reviews first (they are the ones being forgotten), then each new bite: read it, then its items."""
    steps = [Step("r", review.item_id) for review in view.reviews]
    for bite in view.bites:
        steps.append(Step("l", bite.lesson_id))
        steps.extend(Step("i", item_id) for item_id in bite.item_ids)
    return steps[:MAX_STEPS]


def play_url(steps: str, index: int) -> str:
    return f"/learn/play?s={steps}&i={index}"
