"""Turn untrusted author Markdown into HTML that is safe to put in a learner's page.

Packs and imports come from people we do not control, so every author-controlled string goes through
two independent gates:

1. markdown-it-py in "js-default" mode: raw HTML is not parsed (it comes out as text) and link
   destinations with `javascript:`, `vbscript:`, `file:` or `data:` (other than images) are refused.
2. nh3 (ammonia) with an explicit allow-list of tags and attributes, so that even a bug in gate 1 or in
   our own render rules cannot put a script, an event handler or a dangerous URL on the page.

Media follow docs/pack-format.md: a Markdown image whose file ends in an audio or video extension
becomes an `<audio>`/`<video>` player (in a `<figure>` with the caption when it stands alone in its
paragraph), relative media paths are rewritten under `media_base_url`, and absolute media URLs other
than http(s) are dropped (their alt text is kept as text).

The results are `markupsafe.Markup` (a `str`), so Jinja2 with autoescape prints them as they are and
never escapes them twice. Markdown results belong in element content only, never inside an HTML
attribute (their own quotes would end it): for `<title>`, `alt`, `aria-label` and the like use
`plain_text` (Jinja2 escapes it) or `render_plain` (escapes quotes too).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from functools import cache, lru_cache
from html import unescape
from typing import Any, Literal
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

AUDIO_EXTENSIONS = (".mp3", ".ogg", ".wav", ".m4a")
VIDEO_EXTENSIONS = (".mp4", ".webm")
LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes kept on links. Relative URLs are kept too; everything else is removed by nh3."""

_MEDIA_SCHEMES = frozenset({"http", "https"})

_INLINE_TAGS = frozenset({"a", "em", "strong", "code", "s", "br", "img", "audio", "video"})
_BLOCK_TAGS = _INLINE_TAGS | frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        "p", "ul", "ol", "li", "pre", "blockquote", "hr",
        "table", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption",
    }
)  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "audio": {"src", "title"},
    "video": {"src", "title"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"class"},
    "td": {"class"},
    "span": {"class", "data-slot"},
}
# Attributes allowed with one value only: our renderer writes them (players have controls and
# download nothing before the learner presses play; images load lazily). Writing them ourselves
# rather than letting nh3 add them keeps the attribute order, and so the output, deterministic.
_FIXED_VALUES: dict[str, dict[str, set[str]]] = {
    "img": {"loading": {"lazy"}},
    "audio": {"controls": {""}, "preload": {"none"}},
    "video": {"controls": {""}, "preload": {"none"}},
}
_CODE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_ALIGN_CLASS = re.compile(r"align-(left|center|right)")
_ALIGN_STYLE = re.compile(r"text-align:(left|center|right)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Browsers ignore ASCII tab/newline anywhere in a URL and C0 controls/spaces around it.
_URL_IGNORED_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f]")
_MEDIA_LABEL = re.compile(r"^\s*(audio|video)\s*:\s*", re.IGNORECASE)

SLOT_CLASSES = frozenset({"cloze-blank", "cloze-answer"})
"""Classes of the `<span>` that `render_markdown_with_slots` puts where each slot marker was."""
# Private-use characters: they mean nothing in Markdown or HTML, so they survive rendering untouched.
_SLOT_MARKER = re.compile("\ue000([0-9]+)\ue001")
_SLOT_MARKER_CHARS = re.compile("[\ue000\ue001]")
_SLOT_TAGS = frozenset({"span"})
# Rendering is pure and the same lesson is shown to every learner, so recent results are kept;
# a few thousand short HTML strings is a few megabytes at most.
_CACHED_RENDERS = 4096


@lru_cache(maxsize=_CACHED_RENDERS)
def render_markdown(text: str, media_base_url: str | None = None) -> Markup:
    """Render block Markdown (lesson bodies, prompts, explanations, flashcard sides) to safe HTML."""
    html = _markdown().render(text, {"media_base_url": media_base_url, "mode": "block"})
    return Markup(_sanitise(html, _BLOCK_TAGS))  # noqa: S704 - sanitised by nh3 just above


@lru_cache(maxsize=_CACHED_RENDERS)
def render_inline(text: str, media_base_url: str | None = None) -> Markup:
    """Render a short field (titles, choices, feedback, steps) as inline Markdown: no blocks.

    `# x` or `- x` stay literal text; emphasis, code, links, images and players are kept.
    """
    html = _markdown().renderInline(text, {"media_base_url": media_base_url, "mode": "inline"})
    return Markup(_sanitise(html, _INLINE_TAGS))  # noqa: S704 - sanitised by nh3 just above


def render_plain(text: str) -> Markup:
    """Escape text where no formatting is wanted (tags, accepted answers); safe in attributes too."""
    return Markup.escape(text)


def plain_text(text: str) -> str:
    """The words of an inline Markdown field without markup, as an ordinary (unescaped) string.

    For `<title>`, `alt`, `aria-label` and other attributes, where HTML must not go; Jinja2's
    autoescape escapes the result.
    """
    stripped = nh3.clean(_markdown().renderInline(text, {"mode": "inline"}), tags=set())
    return unescape(stripped)


def media_kind(url: str) -> Literal["audio", "video", "image"]:
    """What a Markdown image refers to, from the file extension of its path (query ignored)."""
    path = url.split("#", 1)[0].split("?", 1)[0].lower()
    if path.endswith(AUDIO_EXTENSIONS):
        return "audio"
    if path.endswith(VIDEO_EXTENSIONS):
        return "video"
    return "image"


def resolve_media_url(url: str, media_base_url: str | None) -> str | None:
    """Where the browser should fetch a media file from, or None when it must not be fetched.

    Pack-relative paths (`media/x.png`, `./media/x.png`) go under `media_base_url` when given;
    site-absolute (`/x`) and protocol-relative (`//host/x`) paths stay as they are; absolute URLs
    are kept only for http and https (no `data:`, `javascript:`, `file:` ...); a path that climbs
    out of the pack with `..` is refused.
    """
    # Judge the scheme the way a browser would read it, and also after percent-decoding, so that
    # neither `java\tscript:` nor `java%73cript:` can slip through as "relative".
    for candidate in (url, unquote(unescape(url))):
        scheme = _SCHEME.match(_URL_IGNORED_CHARS.sub("", candidate).lower())
        if scheme and scheme.group(1) not in _MEDIA_SCHEMES:
            return None
    if _SCHEME.match(url.lower()) or url.startswith("/"):
        return url
    path = url
    while path.startswith("./"):
        path = path[2:]
    if "\\" in path or ".." in unquote(path).split("/"):
        return None
    if media_base_url is None:
        return path
    return f"{media_base_url.rstrip('/')}/{path}"


def slot_marker(index: int) -> str:
    """A placeholder for slot `index` to put into Markdown given to `render_markdown_with_slots`."""
    return f"\ue000{index}\ue001"


def remove_slot_markers(text: str) -> str:
    """Remove marker characters from author text, so that only markers we insert are ever found."""
    return _SLOT_MARKER_CHARS.sub("", text)


def render_markdown_with_slots(
    text: str, slots: Sequence[str], slot_class: str, media_base_url: str | None = None
) -> Markup:
    """Render block Markdown where each `slot_marker(i)` becomes `<span class=slot_class>slots[i]</span>`.

    Slot texts are plain text (escaped). Used for cloze deletions: the blanks shown before answering
    and the answers shown after. The spans go in before sanitising, so nh3 still has the last word.
    """
    if slot_class not in SLOT_CLASSES:
        raise ValueError(f"slot_class must be one of {sorted(SLOT_CLASSES)}, not {slot_class!r}")
    html = _markdown().render(text, {"media_base_url": media_base_url, "mode": "block"})

    def span(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(slots):
            return ""
        return f'<span class="{slot_class}" data-slot="{index}">{escapeHtml(slots[index])}</span>'

    return Markup(_sanitise(_SLOT_MARKER.sub(span, html), _BLOCK_TAGS | _SLOT_TAGS))  # noqa: S704


@cache
def _markdown() -> MarkdownIt:
    # Built on first use, not at import; the parser is reentrant (all state lives in each call).
    md = MarkdownIt("js-default")
    md.core.ruler.push("skillbite_media_figures", _mark_standalone_media)
    md.core.ruler.push("skillbite_table_alignment", _alignment_as_class)
    md.add_render_rule("image", _render_image)
    return md


def _sanitise(html: str, tags: frozenset[str]) -> str:
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items() if tag in tags},
        attribute_filter=_filter_attribute,
        tag_attribute_values={tag: dict(v) for tag, v in _FIXED_VALUES.items() if tag in tags},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep only the class names and slot numbers our own renderer writes."""
    if attribute == "data-slot":
        return value if value.isascii() and value.isdigit() else None
    if attribute != "class":
        return value
    if tag == "span":
        return value if value in SLOT_CLASSES else None
    pattern = _CODE_CLASS if tag == "code" else _ALIGN_CLASS
    return value if pattern.fullmatch(value) else None


def _mark_standalone_media(state: StateCore) -> None:
    """Flag audio/video alone in their paragraph, so they render as a `<figure>` with no `<p>`.

    A `<figure>` inside a `<p>` is invalid HTML (the browser would split the paragraph), so only
    players that stand alone get one; a player amid text stays an inline element.
    """
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        opening, inline, closing = tokens[index - 1], tokens[index], tokens[index + 1]
        if opening.type != "paragraph_open" or inline.type != "inline" or closing.type != "paragraph_close":
            continue
        children = inline.children or []
        players = [c for c in children if c.type == "image" and media_kind(str(c.attrGet("src"))) != "image"]
        blank = [c for c in children if c.type == "softbreak" or (c.type == "text" and not c.content.strip())]
        if players and len(players) + len(blank) == len(children):
            for player in players:
                player.meta["figure"] = True
            opening.hidden = closing.hidden = True


def _alignment_as_class(state: StateCore) -> None:
    """markdown-it aligns table cells with `style`, which we never allow; use a class instead."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            if style is not None:
                token.attrs.pop("style", None)
                aligned = _ALIGN_STYLE.fullmatch(str(style))
                if aligned:
                    token.attrSet("class", f"align-{aligned.group(1)}")


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children, options, env)
    src = resolve_media_url(str(token.attrGet("src") or ""), env.get("media_base_url"))
    kind = media_kind(str(token.attrGet("src") or ""))
    caption = _MEDIA_LABEL.sub("", alt) if kind != "image" else alt
    if src is None:
        return escapeHtml(caption)
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    if kind == "image":
        return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} loading="lazy">'
    opening = f'<{kind} controls preload="none" src="{escapeHtml(src)}"'
    if env.get("mode") == "block" and token.meta.get("figure"):
        figcaption = f"<figcaption>{escapeHtml(caption)}</figcaption>" if caption else ""
        return f"<figure>{opening}{title_attr}></{kind}>{figcaption}</figure>\n"
    # No figcaption amid text: the caption becomes the player's tooltip instead.
    player_title = title_attr or (f' title="{escapeHtml(caption)}"' if caption else "")
    return f"{opening}{player_title}></{kind}>"
