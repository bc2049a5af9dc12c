"""What the learning services need to know about one learner: parameters, retention policy, timings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from skillbite.domain.memory import DEFAULT_PARAMS, Params
from skillbite.domain.personal_params import params_version
from skillbite.domain.retention_policy import OrgRetentionSettings, desired_retention
from skillbite.store.repositories.learning import (
    LearnerParamsRepository,
    LearnerProfileRepository,
    OrgLearningSettingsRepository,
)
from skillbite.store.tables.learning import LearnerProfileRow


@dataclass(frozen=True)
class LearnerContext:
    params: Params
    params_version: str
    learner_retention: float | None
    org_retention: OrgRetentionSettings
    timezone: str

    def retention_for(self, tags: list[str] | tuple[str, ...]) -> float:
        return desired_retention(tags, self.learner_retention, self.org_retention).value


def org_retention_settings(session: Session, org_id: int) -> OrgRetentionSettings:
    row = OrgLearningSettingsRepository(session, org_id).current()
    if row is None:
        return OrgRetentionSettings(default=None, by_tag={})
    return OrgRetentionSettings(default=row.default_retention, by_tag=dict(row.tag_retention))


def learner_profile(session: Session, org_id: int, user_id: int) -> LearnerProfileRow:
    return LearnerProfileRepository(session, org_id).get_or_create(user_id)


def learner_context(session: Session, org_id: int, user_id: int) -> LearnerContext:
    fitted = LearnerParamsRepository(session, org_id).latest(user_id)
    params: Params = tuple(fitted.params) if fitted else DEFAULT_PARAMS
    profile = LearnerProfileRepository(session, org_id).of_user(user_id)
    return LearnerContext(
        params=params,
        params_version=fitted.version if fitted else params_version(DEFAULT_PARAMS),
        learner_retention=profile.desired_retention if profile else None,
        org_retention=org_retention_settings(session, org_id),
        timezone=profile.timezone if profile else "UTC",
    )
