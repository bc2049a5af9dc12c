"""A new pack version that changes an item's correct answer restarts that item; a rewording does not.

The earlier reviews stay in the log (it is append-only) but no longer count for the item's state.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from skillbite.services.principal import Principal
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import items_of, new_member, review_rows, state_rows, submission

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"
LESSON = "lessons/pack-layout.md"


def _state(system: System, ada: Principal, item_id: int) -> tuple[object, ...] | None:
    found = [row for row in state_rows(system, ada.org_id) if row[1] == item_id]
    return found[0] if found else None


def test_a_changed_answer_restarts_the_item_and_a_rewording_keeps_its_state(
    system: System, clock: FakeClock, tmp_path: Path
) -> None:
    pack = shutil.copytree(EXAMPLE, tmp_path / "hello-skillbite")
    ada = new_member(system)
    system.content.import_pack(ada.org_id, pack)
    by_key = {item.key: item for item in items_of(system, ada)}
    changed, reworded = by_key["pack-layout.media-root"], by_key["pack-layout.where-skills"]

    for day in (0, 2, 7):
        at = clock.now + timedelta(days=day)
        clock.now = at
        system.reviews.submit(ada, [submission(changed, at), submission(reworded, at)])
    reworded_state = _state(system, ada, reworded.id)
    assert _state(system, ada, changed.id)[6] == 3  # reps (fields: see state_rows)

    lesson = pack / LESSON
    text = lesson.read_text()
    text = text.replace(
        "prompt: Media paths in a lesson are relative to the lesson file.\nanswer: false",
        "prompt: Media paths in a lesson are relative to the pack root.\nanswer: true",
    )
    text = text.replace(
        "prompt: Where do you declare the skills of a pack?", "prompt: Which file declares a pack's skills?"
    )
    lesson.write_text(text)
    (pack / "pack.md").write_text((pack / "pack.md").read_text().replace("version: 1.0.0", "version: 1.1.0"))
    clock.advance(days=1)
    summary = system.content.import_pack(ada.org_id, pack)
    changed_at = clock.now
    assert summary.items["answer_changed"] == 1 and summary.items["reworded"] == 1

    # The log keeps every answer; recompute drops the stale state without calling it a fault.
    assert len([r for r in review_rows(system, ada.org_id) if r.item_id == changed.id]) == 3
    report = system.recompute.recompute(ada.org_id)
    assert report.changed == []
    assert _state(system, ada, changed.id) is None
    assert _state(system, ada, reworded.id) == reworded_state

    # Today's session offers the changed item as new (without the lesson's reading time), never as a review.
    clock.advance(days=200)
    view = system.sessions.today(ada, 30)
    assert changed.id not in {r.item_id for r in view.reviews}
    revisit = [b for b in view.bites if changed.id in b.item_ids]
    assert len(revisit) == 1 and revisit[0].minutes == 0 and reworded.id not in revisit[0].item_ids
    assert reworded.id in {r.item_id for r in view.reviews}, (view, reworded_state, clock.now)

    # Answered under its new answer, the item starts afresh: one rep; the reworded item goes on.
    now_stored = {item.id: item for item in items_of(system, ada)}[changed.id]
    new_right = submission(now_stored, clock.now)
    [fresh] = system.reviews.submit(ada, [new_right])
    assert fresh.correct
    assert _state(system, ada, changed.id)[6] == 1
    system.reviews.submit(ada, [submission(reworded, clock.now)])
    assert _state(system, ada, reworded.id)[6] == 4

    # An offline answer to the old version, arriving late, is logged but not folded.
    late = submission(changed, changed_at - timedelta(hours=1), right=False)
    system.reviews.submit(ada, [late])
    assert _state(system, ada, changed.id)[6] == 1
    assert len([r for r in review_rows(system, ada.org_id) if r.item_id == changed.id]) == 5
    assert system.recompute.recompute(ada.org_id).changed == []
