"""Typed identifiers, so that a lesson id can never be passed where a skill id is expected."""

from typing import NewType

OrgId = NewType("OrgId", int)
UserId = NewType("UserId", int)

PackId = NewType("PackId", str)
SkillId = NewType("SkillId", str)
CourseId = NewType("CourseId", str)
ModuleId = NewType("ModuleId", str)
LessonId = NewType("LessonId", str)
ItemId = NewType("ItemId", str)
