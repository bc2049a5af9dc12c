"""Typed dependencies for the learner's pages: the player and Today-stats services of the system."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from skillbite.services.player import PlayerService
from skillbite.services.today_stats import TodayStatsService
from skillbite.web.auth import SystemDep


def get_player(system: SystemDep) -> PlayerService:
    return system.player


def get_today_stats(system: SystemDep) -> TodayStatsService:
    return system.today_stats


PlayerDep = Annotated[PlayerService, Depends(get_player)]
TodayStatsDep = Annotated[TodayStatsService, Depends(get_today_stats)]
