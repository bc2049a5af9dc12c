"""Building the system for a CLI command, and turning user mistakes into one-line errors (exit 1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from skillbite.services.errors import ServiceError
from skillbite.settings import Settings
from skillbite.wiring import System, build_system

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", markup=False)
    return typer.Exit(code=1)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        message = str(first.get("msg", error)).removeprefix("Value error, ")
        raise fail(f"invalid setting {where}: {message}") from None


def build_or_fail(settings: Settings, *, semantic_in_background: bool = False) -> System:
    """`build_system`, with a configuration it refuses (e.g. SKILLBITE_SEMANTIC_SEARCH=on without the extra)
    reported as one line, not a traceback."""
    try:
        return build_system(settings, semantic_in_background=semantic_in_background)
    except ValueError as error:
        raise fail(str(error)) from None


@contextmanager
def open_system() -> Iterator[System]:
    system = build_or_fail(load_settings())
    try:
        yield system
    finally:
        system.close()


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a service error as `error: ...` on one line and exit 1, never a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ServiceError as error:
            raise fail(error.message) from None

    return wrapper
