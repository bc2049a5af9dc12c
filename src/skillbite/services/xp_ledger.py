"""A learner's XP awards, recomputed from the review log with the full rules of domain/xp.

- **Recall XP** uses the memory model's prediction just before each answer (`domain/recall_history`: the
  log folded once through the engine's own FSRS step, each review with the parameter version it was
  scheduled with).
- **Mastery XP** pays a milestone when a skill's mastery, judged at the end of each study day on which it was
  practised, first reaches it (`domain/mastery_milestones`, the same mastery as `services/mastery`).

Nothing is stored: the awards are a pure function of the log, the content's skill graph and the learner's
parameter sets, so a review that arrives late (offline) or twice (a retry with the same uuid) gives the same
awards as one that arrived on time once. Cost: a fixed number of queries (the log, narrowed to the columns
needed; the items' skills; their answer changes; one per level of the skill graph; one per parameter
version) and one pass over the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.mastery_milestones import PracticedAnswer, mastery_gains
from skillbite.domain.memory import DEFAULT_PARAMS, Params
from skillbite.domain.personal_params import DEFAULT_VERSION
from skillbite.domain.recall_history import recall_steps
from skillbite.domain.reviews import Grade, Review
from skillbite.domain.study_day import local_study_day
from skillbite.domain.xp import ReviewOutcome, XpAward, mastery_awards, review_awards
from skillbite.services.learner_context import LearnerContext, learner_context
from skillbite.services.org_skills import item_skills, prerequisite_subgraph
from skillbite.services.org_tracing_params import org_mastery_params
from skillbite.store.repositories.learning import LearnerParamsRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import ReviewRow


def params_by_version(
    session: Session, org_id: int, user_id: int, context: LearnerContext, versions: set[str]
) -> dict[str, Params]:
    """The FSRS weights of each parameter version the reviews name (one query per fitted version)."""
    known: dict[str, Params] = {DEFAULT_VERSION: DEFAULT_PARAMS, context.params_version: context.params}
    repository = LearnerParamsRepository(session, org_id)
    for version in sorted(versions - known.keys()):
        fitted = repository.by_version(user_id, version)
        if fitted is not None:
            known[version] = tuple(fitted.params)
    return known


def answers_changed_at(session: Session, org_id: int, item_ids: Iterable[int]) -> dict[ItemId, datetime]:
    """When the correct answer of each of these items last changed (items that never changed are left out)."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(ItemRow.id, ItemRow.answer_changed_at).where(
            ItemRow.org_id == org_id, ItemRow.id.in_(wanted), ItemRow.answer_changed_at.is_not(None)
        )
    )
    return {ItemId(str(item_id)): changed for item_id, changed in rows if changed is not None}


def learner_log(session: Session, org_id: int, user_id: int) -> list[Review]:
    """The learner's whole review log in (reviewed_at, uuid) order, without the answers given: one query of
    the columns the Today numbers read (loading whole rows would parse every stored answer)."""
    rows = session.execute(
        select(
            ReviewRow.uuid,
            ReviewRow.item_id,
            ReviewRow.reviewed_at,
            ReviewRow.tz,
            ReviewRow.correct,
            ReviewRow.response_ms,
            ReviewRow.grade,
            ReviewRow.params_version,
        )
        .where(ReviewRow.org_id == org_id, ReviewRow.learner_id == user_id)
        .order_by(ReviewRow.reviewed_at, ReviewRow.uuid)
    )
    return [
        Review(
            uuid=UUID(uuid),
            org=OrgId(org_id),
            learner=UserId(user_id),
            item=ItemId(str(item_id)),
            reviewed_at=reviewed_at,
            tz=tz,
            answer=None,
            correct=correct,
            response_ms=response_ms,
            grade=Grade(grade),
            params_version=params_version,
        )
        for uuid, item_id, reviewed_at, tz, correct, response_ms, grade, params_version in rows
    ]


def learner_xp_awards(
    session: Session, org_id: int, user_id: int, reviews: Sequence[Review], day_start: time
) -> list[XpAward]:
    """Recall and mastery awards for the learner's `reviews` (all of them, any order: `learner_log`)."""
    if not reviews:
        return []
    context = learner_context(session, org_id, user_id)
    weights = params_by_version(session, org_id, user_id, context, {r.params_version for r in reviews})
    item_ids = {int(r.item) for r in reviews}
    fresh_since = answers_changed_at(session, org_id, item_ids)
    skills_of = item_skills(session, org_id, item_ids)
    steps = recall_steps(reviews, weights, context.params, fresh_since)
    outcomes: list[ReviewOutcome] = []
    answers: list[PracticedAnswer] = []
    for step in steps:
        review = step.review
        day = local_study_day(review.reviewed_at, review.tz, day_start)
        outcomes.append(ReviewOutcome(review.uuid, review.item, day, review.correct, step.p_recall_before))
        answers.append(
            PracticedAnswer(
                at=review.reviewed_at,
                study_day=day,
                item=review.item,
                skills=skills_of.get(int(review.item), ()),
                correct=review.correct,
                item_state=step.state_after,
                params=step.params,
            )
        )
    practised = sorted({skill for answer in answers for skill in answer.skills})
    graph = prerequisite_subgraph(session, org_id, practised)
    awards = review_awards(outcomes)
    gains = mastery_gains(answers, graph, org_mastery_params(session, org_id))
    awards.extend(award for gain in gains for award in mastery_awards(gain))
    return awards
