"""The one wiring function: settings, database and services for the web app, the CLI and the tests.

Nothing is built at import time; callers build a `System` when they start and close it when they stop.
"""

from __future__ import annotations

from dataclasses import dataclass

from skillbite.services.accounts import AccountService
from skillbite.services.api_tokens import ApiTokenService
from skillbite.services.ask import AskService
from skillbite.services.authoring import AuthoringService
from skillbite.services.catalogue import CatalogueService
from skillbite.services.clock import Clock, system_clock
from skillbite.services.content import ContentService
from skillbite.services.health import HealthService
from skillbite.services.importers import ImportService
from skillbite.services.invites import InviteService
from skillbite.services.jobs import JobService
from skillbite.services.learner_goals import LearnerGoalService
from skillbite.services.learner_settings import LearnerSettingsService
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.mastery import MasteryService
from skillbite.services.members import MemberService
from skillbite.services.organisations import OrganisationService
from skillbite.services.player import PlayerService
from skillbite.services.progress import ProgressService
from skillbite.services.recompute import RecomputeService
from skillbite.services.reviews import ReviewService
from skillbite.services.schema import SchemaService
from skillbite.services.sessions import SessionService
from skillbite.services.skill_map import SkillMapService
from skillbite.services.today_stats import TodayStatsService
from skillbite.services.today_views import TodayViews
from skillbite.services.uploads import UploadStore
from skillbite.settings import Settings
from skillbite.store.database import Database, create_database


@dataclass
class System:
    settings: Settings
    db: Database
    clock: Clock
    schema: SchemaService
    organisations: OrganisationService
    accounts: AccountService
    invites: InviteService
    api_tokens: ApiTokenService
    members: MemberService
    health: HealthService
    content: ContentService
    importers: ImportService
    authoring: AuthoringService
    reviews: ReviewService
    recompute: RecomputeService
    jobs: JobService
    sessions: SessionService
    mastery: MasteryService
    ask: AskService
    player: PlayerService
    today_stats: TodayStatsService
    learner_settings: LearnerSettingsService
    goals: LearnerGoalService
    catalogue: CatalogueService
    progress: ProgressService
    skill_map: SkillMapService
    views: LearnerViewCache
    """Derived per-learner views kept between requests (mastery, skill map, progress, catalogue, Today)."""
    today: TodayViews
    """The Today page's numbers and plan summary, through `views`."""

    def close(self) -> None:
        self.db.dispose()


def build_system(settings: Settings | None = None, *, clock: Clock = system_clock) -> System:
    settings = settings or Settings()
    db = create_database(settings.database_url)
    organisations = OrganisationService(db, clock)
    content = ContentService(db, clock)
    importers = ImportService(content)
    uploads = UploadStore(settings.data_dir, settings.max_upload_mb << 20)
    learner_settings = LearnerSettingsService(db)
    views = LearnerViewCache(db, clock)
    sessions = SessionService(db, clock)
    today_stats = TodayStatsService(db, clock, learner_settings)
    return System(
        settings=settings,
        db=db,
        clock=clock,
        schema=SchemaService(db, organisations, settings.default_org_slug),
        organisations=organisations,
        accounts=AccountService(db, clock, settings),
        invites=InviteService(db, clock, settings),
        api_tokens=ApiTokenService(db, clock),
        members=MemberService(db, clock),
        health=HealthService(db),
        content=content,
        importers=importers,
        authoring=AuthoringService(content, importers, uploads),
        reviews=ReviewService(db, clock),
        recompute=RecomputeService(db),
        jobs=JobService(db, clock),
        sessions=sessions,
        mastery=MasteryService(db, clock, views),
        ask=AskService(db, clock),
        learner_settings=learner_settings,
        player=PlayerService(db, clock),
        today_stats=today_stats,
        goals=LearnerGoalService(db, clock),
        catalogue=CatalogueService(db, clock, views),
        progress=ProgressService(db, clock, views),
        skill_map=SkillMapService(db, clock, views),
        views=views,
        today=TodayViews(views, today_stats, sessions, learner_settings),
    )
