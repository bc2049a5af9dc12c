"""Typed reading of the fields of one YAML mapping, reporting problems instead of raising.

A reader keeps going after a bad field: it records the problem (with the field's line and a hint) and
returns a neutral value, so one run of `skillbite pack validate` lists every problem of a pack at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from skillbite.content.front_matter import YamlDoc, YamlPath
from skillbite.content.problems import ValidationReport

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
_INDEXED = re.compile(r"(\w+)\[(\d+)\]")
ID_RULE = "lowercase letters, digits, '.', '-' and '_', starting with a letter or digit"


def kind_of(value: object) -> str:
    """How a YAML value reads to an author, for messages such as `must be a list, not text`."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value fields)"
    return "a date" if type(value).__name__ in {"date", "datetime"} else type(value).__name__


def suggest_id(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")
    return slug or "my-id"


@dataclass
class Fields:
    """The fields of the mapping at `path` of `doc`, read from `file` of the pack."""

    doc: YamlDoc
    path: YamlPath
    file: str
    report: ValidationReport
    label: str = ""
    """Printed before field names, e.g. `skills[2].`, so a problem names `skills[2].id`."""
    subject: str = ""
    """Who the fields belong to, e.g. `item git-undo.q1`, for messages."""

    @property
    def values(self) -> dict[str, object]:
        node: object = self.doc.data
        for key in self.path:
            node = node[key]  # type: ignore[index]
        return node if isinstance(node, dict) else {}

    def has(self, name: str) -> bool:
        return name in self.values

    def line(self, name: str | None = None) -> int:
        """The line of field `name` (which may be indexed, `answers[2]`), or of the mapping itself."""
        if name is None:
            return self.doc.line(self.path)
        indexed = _INDEXED.fullmatch(name)
        if indexed:
            return self.doc.line((*self.path, indexed.group(1), int(indexed.group(2))))
        return self.doc.line((*self.path, name))

    def field_name(self, name: str) -> str:
        return f"{self.label}{name}"

    def error(self, name: str | None, message: str, hint: str = "") -> None:
        where = self.subject + ": " if self.subject else ""
        self.report.error(
            self.file,
            self.line(name),
            where + message,
            field=self.field_name(name) if name else None,
            hint=hint,
        )

    def warning(self, name: str | None, message: str, hint: str = "") -> None:
        where = self.subject + ": " if self.subject else ""
        self.report.warning(
            self.file,
            self.line(name),
            where + message,
            field=self.field_name(name) if name else None,
            hint=hint,
        )

    def check_keys(self, allowed: Collection[str], *, what: str) -> None:
        """Report unknown fields (with a did-you-mean) and fields written twice."""
        for name in self.values:
            if str(name) in allowed:
                continue
            close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed fields: " + ", ".join(sorted(allowed))
            self.error(str(name), f"unknown field '{name}' in {what}", hint)
        for duplicate in self.doc.duplicate_keys:
            if duplicate.path[:-1] == self.path:
                self.report.error(
                    self.file,
                    duplicate.line,
                    f"field '{duplicate.path[-1]}' is written twice (first on line {duplicate.first_line})",
                    field=self.field_name(str(duplicate.path[-1])),
                    hint="keep one of them; YAML would silently use the last",
                )

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        """A text field; numbers, dates and yes/no keep the author's spelling."""
        if name not in self.values:
            if required:
                self.error(None, f"missing field '{name}'", f"add `{name}: ...`")
            return default
        value = self.values[name]
        if value is None:
            if required:
                self.error(name, f"field '{name}' is empty", f"write a value after `{name}:`")
            return default
        text = self._as_text(name, value, (*self.path, name))
        if required and isinstance(value, str) and not value.strip():
            self.error(name, f"field '{name}' is blank", f"write a value after `{name}:`")
        return text

    def identifier(self, name: str = "id") -> str:
        value = self.text(name)
        if value and not ID_PATTERN.fullmatch(value):
            self.error(
                name, f"id '{value}' is not valid: use {ID_RULE}", f"for example '{suggest_id(value)}'"
            )
        return value

    def text_list(self, name: str, *, required: bool = False, what: str = "text") -> tuple[str, ...]:
        if name not in self.values or self.values[name] is None:
            if required:
                self.error(
                    None if name not in self.values else name,
                    f"missing field '{name}'" if name not in self.values else f"field '{name}' is empty",
                    f"add `{name}: [..., ...]`",
                )
            return ()
        value = self.values[name]
        if isinstance(value, str):
            self.error(name, f"'{name}' must be a list, not a single {what}", f'write {name}: ["{value}"]')
            return ()
        if not isinstance(value, list):
            self.error(
                name,
                f"'{name}' must be a list of {what}, not {kind_of(value)}",
                f"write {name}: [first, second]",
            )
            return ()
        result = []
        for position, element in enumerate(value):
            path = (*self.path, name, position)
            if element is None:
                self.report.error(
                    self.file,
                    self.doc.line(path),
                    self._subject(f"'{name}' has an empty entry"),
                    field=f"{self.field_name(name)}[{position}]",
                    hint="remove the empty '-' line",
                )
                continue
            result.append(self._as_text(f"{name}[{position}]", element, path))
        return tuple(result)

    def boolean(self, name: str, *, default: bool, required: bool = False) -> bool:
        if name not in self.values:
            if required:
                self.error(None, f"missing field '{name}'", f"add `{name}: true` or `{name}: false`")
            return default
        value = self.values[name]
        if isinstance(value, bool):
            return value
        self.error(
            name,
            f"'{name}' must be true or false, not {kind_of(value)}",
            f"write {name}: true or {name}: false, without quotes",
        )
        return default

    def number(self, name: str, *, required: bool = True) -> float | None:
        if name not in self.values:
            if required:
                self.error(None, f"missing field '{name}'", f"add `{name}: 3`")
            return None
        value = self.values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(name, f"'{name}' must be a number, not {kind_of(value)}", f"write {name}: 3")
            return None
        return float(value)

    def mapping(self, name: str, *, what: str) -> Fields | None:
        """The nested mapping `name`, or None when absent or not a mapping (reported)."""
        if name not in self.values:
            return None
        value = self.values[name]
        if not isinstance(value, dict):
            self.error(
                name,
                f"'{name}' must be a mapping of fields, not {kind_of(value)}",
                f"write `{name}:` then indented `field: value` lines",
            )
            return None
        return Fields(
            self.doc,
            (*self.path, name),
            self.file,
            self.report,
            label=f"{self.label}{name}.",
            subject=self.subject or what,
        )

    def mapping_list(self, name: str, *, what: str, required: bool = True) -> list[Fields]:
        """The entries of a list of mappings (`- key: value` blocks); bad entries are reported."""
        if name not in self.values or self.values[name] is None:
            if required:
                self.error(
                    None if name not in self.values else name,
                    f"missing field '{name}'" if name not in self.values else f"field '{name}' is empty",
                    f"add `{name}:` with one `- ` entry per {what}",
                )
            return []
        value = self.values[name]
        if not isinstance(value, list):
            self.error(
                name,
                f"'{name}' must be a list of {what}s, not {kind_of(value)}",
                f"start each {what} with '- ' on its own line under `{name}:`",
            )
            return []
        entries = []
        for position, element in enumerate(value):
            path = (*self.path, name, position)
            if not isinstance(element, dict):
                self.report.error(
                    self.file,
                    self.doc.line(path),
                    self._subject(
                        f"each entry of '{name}' must be a {what} (fields), not {kind_of(element)}"
                    ),
                    field=f"{self.field_name(name)}[{position}]",
                    hint=f"write `- {self._example_key(what)}: ...` with its fields indented below",
                )
                continue
            entries.append(
                Fields(
                    self.doc,
                    path,
                    self.file,
                    self.report,
                    label=f"{self.label}{name}[{position}].",
                    subject=self.subject,
                )
            )
        return entries

    def _as_text(self, name: str, value: object, path: YamlPath) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float) or type(value).__name__ in {"date", "datetime"}:
            return self.doc.raw.get(path, str(value))
        hint = "quote the value"
        if isinstance(value, dict):
            hint = 'a value that starts with `{` must be quoted, e.g. text: "{{c1::answer}} ..."'
        elif isinstance(value, list):
            hint = 'a value that starts with `[` must be quoted, e.g. prompt: "[y/n] ..."'
        self.report.error(
            self.file,
            self.doc.line(path),
            self._subject(f"'{name}' must be text, not {kind_of(value)}"),
            field=self.field_name(name),
            hint=hint,
        )
        return ""

    def _subject(self, message: str) -> str:
        return f"{self.subject}: {message}" if self.subject else message

    @staticmethod
    def _example_key(what: str) -> str:
        return {"choice": "text", "pair": "left"}.get(what, "id")
