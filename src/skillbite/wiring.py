"""The one wiring function: settings, database and services for the web app, the CLI and the tests.

Nothing is built at import time; callers build a `System` when they start and close it when they stop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skillbite.search.embedding_model import semantic_extra_installed
from skillbite.search.semantic import SemanticReranker
from skillbite.services.accounts import AccountService
from skillbite.services.api_tokens import ApiTokenService
from skillbite.services.ask import AskService, semantic_stage
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


def semantic_loader(settings: Settings, *, background: bool) -> Callable[[], SemanticReranker | None] | None:
    """How search gets its semantic stage (built on the first question), per SKILLBITE_SEMANTIC_SEARCH; None
    for lexical search. `on` without the extra is refused here, at start-up, not at the first question."""
    if settings.semantic_search == "off":
        return None
    if not semantic_extra_installed():
        if settings.semantic_search == "on":
            raise ValueError(
                "SKILLBITE_SEMANTIC_SEARCH=on but the semantic extra is not installed: "
                "pip install torch==2.13.0 'skillbite[semantic]', or set SKILLBITE_SEMANTIC_SEARCH=auto"
            )
        return None
    return lambda: semantic_stage(settings.data_dir, background=background)


def build_system(
    settings: Settings | None = None, *, clock: Clock = system_clock, semantic_in_background: bool = False
) -> System:
    """Everything the web app, the CLI and the tests use, wired once. `semantic_in_background` (the web
    server): passage vectors are built in a thread while answers stay lexical; otherwise (the CLI, whose
    batch answers must not change half-way) the first question waits for them."""
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
        ask=AskService(
            db, clock, semantic_loader=semantic_loader(settings, background=semantic_in_background)
        ),
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
