"""Find what in an HTML page could run script or send the learner elsewhere.

Used by the XSS tests on pages rendered from hostile content. It parses with the standard library's
HTML parser (our pages are serialised by nh3 and Jinja2, so they are well-formed) and reports every
forbidden element, event handler, `style`/`srcdoc` attribute, form target and URL attribute whose
value, decoded and stripped of what browsers ignore, starts with `javascript:`, `vbscript:` or
`data:`; it also reports any element or attribute outside the set the renderer and the test page use.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "form",
     "style", "link", "svg", "math", "noscript", "template", "xmp", "isindex", "textarea"}
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "dynsrc",
     "lowsrc", "codebase", "cite", "ping", "srcset", "to", "values"}
)  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")

# Everything the sanitiser may emit plus what the test template itself writes.
ALLOWED_TAGS = frozenset(
    {"a", "em", "strong", "code", "s", "br", "img", "audio", "video", "h1", "h2", "h3", "h4", "h5", "h6",
     "p", "ul", "ol", "li", "pre", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td",
     "figure", "figcaption", "span",
     "html", "head", "title", "body", "header", "nav", "section", "article", "aside", "div", "label",
     "input"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = frozenset(
    {"href", "src", "alt", "title", "loading", "controls", "preload", "class", "data-slot", "start",
     "rel", "lang", "id", "aria-label", "type", "name", "value", "draggable", "data-pack",
     "data-course", "data-skill", "data-lesson", "data-item", "data-kind"}
)  # fmt: skip


class _DangerFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dangers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.dangers.append(f"<{tag}> element")
        elif tag not in ALLOWED_TAGS:
            self.dangers.append(f"<{tag}> is not an allowed element")
        for name, value in attrs:
            where = f"<{tag} {name}={value!r}>"
            if name.startswith("on"):
                self.dangers.append(f"event handler attribute {where}")
            elif name in ("style", "srcdoc"):
                self.dangers.append(f"{name} attribute {where}")
            elif name not in ALLOWED_ATTRIBUTES and name not in URL_ATTRIBUTES:
                self.dangers.append(f"unexpected attribute {where}")
            if name in URL_ATTRIBUTES and value is not None:
                # The parser already decoded character references; decode again to be conservative.
                url = _IGNORED_IN_URLS.sub("", unescape(value)).lower()
                if url.startswith(DANGEROUS_SCHEMES):
                    self.dangers.append(f"dangerous URL {where}")
            if name in ("action", "formaction"):
                self.dangers.append(f"form target {where}")

    handle_startendtag = handle_starttag


def find_dangers(html: str) -> list[str]:
    """Everything in `html` that could run script or leave the page; empty when it is safe."""
    finder = _DangerFinder()
    finder.feed(html)
    finder.close()
    return finder.dangers
