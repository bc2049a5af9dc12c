"""Front matter: split a Markdown file into its YAML header and its body, keeping line numbers.

YAML is composed into PyYAML nodes first: their marks give the line of every field, so an error can
point at the exact line of the offending value, not just at the file. The same parse also yields the
source text of every plain scalar, which lets a text field keep what the author wrote when YAML would
have read it as something else (`version: 1.10` is the float 1.1 to YAML, `answers: [yes]` a bool).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from skillbite.content.problems import ValidationReport

YamlPath = tuple[str | int, ...]
"""Where a value sits in a YAML document: mapping keys and list indices, e.g. `("skills", 2, "id")`."""


class YamlSyntaxError(ValueError):
    """YAML that does not parse, or front matter that is not delimited; `line` is 1-based in the file."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class DuplicateKey:
    path: YamlPath
    first_line: int
    line: int


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML value with the file line of every node."""

    data: object
    lines: dict[YamlPath, int]
    raw: dict[YamlPath, str] = field(default_factory=dict)
    """The source text of plain (unquoted) scalars."""
    duplicate_keys: tuple[DuplicateKey, ...] = ()

    def line(self, path: YamlPath) -> int:
        """The line of `path`, or of its nearest ancestor present in the document."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


@dataclass(frozen=True)
class MarkdownFile:
    front: YamlDoc
    body: str
    body_line: int
    """File line of the body's first line."""


def load_yaml(text: str, *, first_line: int, root_line: int | None = None) -> YamlDoc:
    """Parse `text`, whose first line is line `first_line` of the file. `root_line` is the line reported
    for the document as a whole (e.g. the opening `---`), used for errors such as a missing field."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[YamlPath, int] = {}
        raw: dict[YamlPath, str] = {}
        duplicates: list[DuplicateKey] = []
        if node is not None:
            _index(node, (), first_line, lines, raw, duplicates, set())
            data = loader.construct_document(node)
        else:
            data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and re.search(r"end of stream|<stream end>", exc.problem or ""):
            mark = exc.context_mark  # point at where the unclosed quote or bracket starts, not at the end
        line = first_line + (mark.line if mark else 0)
        raise YamlSyntaxError(line, _describe(exc), _hint_for(exc, text, mark)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(first_line, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    lines[()] = root_line if root_line is not None else first_line
    return YamlDoc(data=data, lines=lines, raw=raw, duplicate_keys=tuple(duplicates))


def split_front_matter(text: str) -> MarkdownFile:
    """Split a Markdown file; raises YamlSyntaxError when the front matter is absent or broken."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise YamlSyntaxError(
            1,
            "the file does not start with front matter",
            "make the first line `---`, then the YAML fields, then a line `---` before the Markdown",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            closing = index
            break
    else:
        raise YamlSyntaxError(
            1, "the front matter opened on line 1 is never closed", "add a line `---` after the last field"
        )
    yaml_text = "".join(line + "\n" for line in lines[1:closing])  # a final `|` block keeps its newline
    front = load_yaml(yaml_text, first_line=2, root_line=1)
    if front.data is None:
        front = YamlDoc(data={}, lines={(): 1})
    body = "\n".join(lines[closing + 1 :])
    return MarkdownFile(front=front, body=body, body_line=closing + 2)


def read_markdown_file(text: str, file: str, report: ValidationReport) -> MarkdownFile | None:
    """`split_front_matter`, reporting a broken or non-mapping front matter instead of raising."""
    try:
        document = split_front_matter(text)
    except YamlSyntaxError as exc:
        report.error(file, exc.line, exc.message, hint=exc.hint)
        return None
    if not isinstance(document.front.data, dict):
        report.error(
            file,
            document.front.line(()) + 1,
            f"the front matter must be fields (`key: value` lines), not {type(document.front.data).__name__}",
            hint="see docs/pack-format.md for the fields of each file",
        )
        return None
    return document


def _index(
    node: yaml.Node,
    path: YamlPath,
    offset: int,
    lines: dict[YamlPath, int],
    raw: dict[YamlPath, str],
    duplicates: list[DuplicateKey],
    visited: set[int],
) -> None:
    lines[path] = node.start_mark.line + offset
    if id(node) in visited:  # an alias: indexed where it was anchored (and no alias bombs)
        return
    visited.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.style is None:
            raw[path] = node.value
    elif isinstance(node, yaml.SequenceNode):
        for position, child in enumerate(node.value):
            _index(child, (*path, position), offset, lines, raw, duplicates, visited)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_line = key_node.start_mark.line + offset
            child = (*path, key)
            if key in seen:
                duplicates.append(DuplicateKey(child, seen[key], key_line))
            seen[key] = key_line
            _index(value_node, child, offset, lines, raw, duplicates, visited)
            lines[child] = key_line  # point at `key:`, which is where the author looks


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "invalid YAML: " + ", ".join(parts)


def _hint_for(exc: yaml.MarkedYAMLError, text: str, mark: yaml.Mark | None) -> str:
    problem = exc.problem or ""
    source_line = ""
    if mark is not None:
        text_lines = text.split("\n")
        if mark.line < len(text_lines):
            source_line = text_lines[mark.line]
    if "{{" in source_line or "{{" in problem:
        return 'a value that starts with `{{` must be quoted: text: "{{c1::answer}} ..."'
    if "\t" in problem or "'\\t'" in problem:
        return "YAML does not allow tabs for indentation; indent with spaces"
    if "mapping values are not allowed" in problem:
        return 'a value containing ": " must be quoted, e.g. prompt: "Run: git status"'
    if "cannot start any token" in problem:
        return "quote the value; YAML does not allow a plain value to start with ` @ or %"
    if "<stream end>" in problem and "flow" in (exc.context or ""):
        return "a `[` or `{` opened here is never closed; quote the value if the bracket is part of the text"
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return "a quote or bracket is not closed"
    if "could not find expected ':'" in problem:
        return (
            "each field is written `name: value`; a ':' (followed by a space) is missing here or just above"
        )
    if "expected <block end>" in problem:
        return "check the indentation: fields of one mapping line up, list items start with '- '"
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        return "`&` and `*` mark YAML anchors; quote the value if you meant the character"
    if "while scanning a quoted scalar" in (exc.context or ""):
        return "a quoted value is not closed; close the quote or use a block `|` for long text"
    return "check the quoting and indentation on this line and the one before"
