"""Settings, read from the environment with the prefix `SKILLBITE_` (and from a `.env` file if present).

Every setting is declared here with its help text; docs/configuration.md lists them all and a test fails
when one is missing there. Settings are built by the wiring function, never at import time.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused outside development


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def default_database_url() -> str:
    return f"sqlite:///{Path('var') / 'skillbite.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLBITE_", env_file=".env", extra="ignore")

    environment: Environment = Field(
        Environment.DEVELOPMENT,
        description="`development`, `test` or `production`. Outside development the secret key must be set.",
    )
    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL. Default: a SQLite file under ./var. PostgreSQL: "
        "`postgresql+psycopg://user:password@host/dbname`.",
    )
    secret_key: str = Field(
        DEVELOPMENT_SECRET_KEY,
        description="Secret for signing CSRF tokens and one-time links. Required outside development.",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Folder for uploads waiting for an author to confirm their import.",
    )
    max_upload_mb: int = Field(200, ge=1, description="Largest pack or deck upload accepted, in MiB.")
    base_url: str = Field(
        "http://127.0.0.1:8000",
        description="Public address of the web app, used in links printed by the CLI and sent by email.",
    )
    session_days: int = Field(14, ge=1, le=365, description="How long a login session lasts, in days.")
    login_failures_per_minute: int = Field(
        10, ge=1, description="Failed logins allowed per account per minute; the next one answers 429."
    )
    one_time_link_hours: int = Field(
        72, ge=1, description="How long invite and set-password links stay valid, in hours."
    )
    default_org_slug: str = Field("default", description="Slug of the organisation created on first run.")
    password_hash_profile: Literal["rfc9106", "owasp-minimum"] = Field(
        "rfc9106",
        description="argon2id cost: `rfc9106` (64 MiB, 3 passes, 4 lanes) or `owasp-minimum` "
        "(19 MiB, 2 passes, 1 lane) for small servers. Existing hashes are upgraded at the next login "
        "when the cost rises.",
    )
    log_level: str = Field("info", description="Log level of the server: debug, info, warning, error.")
    job_poll_seconds: float = Field(
        10.0,
        ge=0,
        description="How often the web server's background worker looks for queued jobs (e.g. optimising a "
        "learner's memory parameters). 0 turns the in-app worker off: run `skillbite jobs run` from cron "
        "instead.",
    )
    upload_expiry_hours: float = Field(
        24.0,
        gt=0,
        description="Uploads an author neither confirmed nor discarded are removed after this many hours "
        "(by the web server's background worker).",
    )
    semantic_search: Literal["auto", "on", "off"] = Field(
        "auto",
        description="Fuse sentence-embedding similarity into search answers: `auto` when the "
        "`skillbite[semantic]` extra is installed, `on` (refuse to start without it) or `off` (lexical "
        "only). Passage vectors are kept under the data dir.",
    )
    warm_search_at_start: bool = Field(
        True,
        description="Build each organisation's in-memory search snapshot when the web server starts, in the "
        "background, so the first question after a restart is as fast as the rest.",
    )

    @model_validator(mode="after")
    def _refuse_known_secret_outside_development(self) -> Settings:
        if self.environment is not Environment.DEVELOPMENT and self.secret_key == DEVELOPMENT_SECRET_KEY:
            raise ValueError(
                "SKILLBITE_SECRET_KEY is the development default; set it to a long random value "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                f"when SKILLBITE_ENVIRONMENT={self.environment.value}"
            )
        if len(self.secret_key) < 16:
            raise ValueError("SKILLBITE_SECRET_KEY is too short: use at least 16 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
