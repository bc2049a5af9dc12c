"""How author Markdown becomes HTML: formatting kept, media players built, URLs rewritten or dropped."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import Markup

from skillbite.content.render import (
    media_kind,
    plain_text,
    remove_slot_markers,
    render_inline,
    render_markdown,
    render_markdown_with_slots,
    render_plain,
    resolve_media_url,
    slot_marker,
)

BASE = "/media/packs/git/1.2.0"


def test_code_fence_keeps_its_language_class_and_escapes_once() -> None:
    out = render_markdown("```python\nif a < b and c > d & e:\n    pass\n```")
    assert (
        '<pre><code class="language-python">if a &lt; b and c &gt; d &amp; e:\n    pass\n</code></pre>' in out
    )


def test_code_fence_language_that_is_not_a_plain_word_is_dropped() -> None:
    out = render_markdown('```py" onmouseover="x\ncode\n```')
    assert out == "<pre><code>code\n</code></pre>\n"


def test_inline_code_and_emphasis() -> None:
    assert render_markdown("Use `git <cmd>` *now*, **really**.") == (
        "<p>Use <code>git &lt;cmd&gt;</code> <em>now</em>, <strong>really</strong>.</p>\n"
    )


def test_raw_html_is_shown_as_text() -> None:
    assert (
        render_markdown("<b>bold</b> & <i>co</i>")
        == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;</p>\n"
    )


def test_entities_written_by_the_author_are_decoded_then_escaped_once() -> None:
    assert render_markdown("a &lt; b &amp;&amp; c") == "<p>a &lt; b &amp;&amp; c</p>\n"


def test_headings_lists_blockquotes_and_rules() -> None:
    out = render_markdown("## Step\n\n3. three\n4. four\n\n- a\n- b\n\n> quoted\n\n---\n")
    for fragment in ("<h2>Step</h2>", '<ol start="3">', "<li>four</li>", "<ul>", "<blockquote>", "<hr>"):
        assert fragment in out


def test_table_alignment_becomes_a_class_not_a_style() -> None:
    out = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th class="align-left">a</th>' in out
    assert '<td class="align-center">2</td>' in out
    assert '<td class="align-right">3</td>' in out
    assert "style" not in out


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[docs](https://git-scm.com/docs)", "https://git-scm.com/docs"),
        ("[plain](http://example.org/a?b=1&c=2)", "http://example.org/a?b=1&amp;c=2"),
        ("[mail](mailto:ada@example.org)", "mailto:ada@example.org"),
        ("[next](other-lesson.md#part)", "other-lesson.md#part"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ("[ref][r]\n\n[r]: https://example.org/ref", "https://example.org/ref"),
    ],
)
def test_links_keep_safe_urls_and_get_rel(markdown: str, href: str) -> None:
    assert f'<a href="{href}" rel="noopener noreferrer nofollow">' in render_markdown(markdown)


@pytest.mark.parametrize(
    "markdown",
    ["[x](javascript:alert(1))", "[x](vbscript:x)", "[x](data:text/html,x)", "[x](file:///etc/passwd)"],
)
def test_links_with_dangerous_schemes_are_not_links(markdown: str) -> None:
    assert "href" not in render_markdown(markdown)


def test_links_with_other_schemes_lose_their_href() -> None:
    out = render_markdown("[x](data:image/png;base64,AAAA) [y](ftp://example.org/f)")
    assert out.count('<a rel="noopener noreferrer nofollow">') == 2
    assert "href" not in out


def test_image_is_lazy_and_relative_path_goes_under_the_media_base() -> None:
    out = render_markdown('![Diagram of HEAD](media/reset.svg "HEAD moves")', BASE)
    assert out == (
        f'<p><img src="{BASE}/media/reset.svg" alt="Diagram of HEAD" title="HEAD moves" loading="lazy"></p>\n'
    )


def test_image_alt_text_loses_its_markup() -> None:
    assert 'alt="a bold move"' in render_markdown("![a **bold** move](x.png)")


def test_without_a_media_base_relative_paths_stay_relative() -> None:
    assert 'src="media/a.png"' in render_markdown("![a](./media/a.png)")


def test_absolute_http_media_is_kept_as_is() -> None:
    assert 'src="https://cdn.example.org/a.png"' in render_markdown(
        "![a](https://cdn.example.org/a.png)", BASE
    )


def test_data_image_is_dropped_but_its_alt_text_stays() -> None:
    assert render_markdown("![a tiny dot](data:image/png;base64,iVBORw0KGgo=)", BASE) == "<p>a tiny dot</p>\n"


def test_media_path_climbing_out_of_the_pack_is_dropped() -> None:
    assert render_markdown("![secret](../../etc/passwd.png)", BASE) == "<p>secret</p>\n"


def test_audio_alone_in_its_paragraph_becomes_a_figure_with_caption() -> None:
    out = render_markdown("Intro\n\n![audio: The idea in *60* seconds](media/reset.mp3)\n\nOutro", BASE)
    assert (
        f'<figure><audio controls="" preload="none" src="{BASE}/media/reset.mp3"></audio>'
        "<figcaption>The idea in 60 seconds</figcaption></figure>"
    ) in out
    assert "<p><figure>" not in out
    assert out.startswith("<p>Intro</p>") and out.endswith("<p>Outro</p>\n")


@pytest.mark.parametrize("extension", [".mp3", ".ogg", ".wav", ".m4a", ".MP3"])
def test_every_audio_extension_gives_an_audio_player(extension: str) -> None:
    assert "<audio " in render_markdown(f"![audio: x](media/a{extension})")


@pytest.mark.parametrize("extension", [".mp4", ".webm"])
def test_video_extensions_give_a_video_player(extension: str) -> None:
    out = render_markdown(f"![video: Watch it done](media/reset{extension})", BASE)
    assert f'<video controls="" preload="none" src="{BASE}/media/reset{extension}"></video>' in out
    assert "<figcaption>Watch it done</figcaption>" in out


def test_media_amid_text_stays_inline_with_the_caption_as_title() -> None:
    out = render_markdown("Listen ![audio: the sound](a.ogg) here.")
    assert (
        out
        == '<p>Listen <audio controls="" preload="none" src="a.ogg" title="the sound"></audio> here.</p>\n'
    )


def test_media_with_a_dangerous_or_foreign_scheme_is_dropped() -> None:
    out = render_markdown("![audio: hi](ftp://example.org/a.mp3)\n\n![video: v](file:///v.mp4)")
    assert "<audio" not in out and "<video" not in out
    assert "hi" in out and "v" in out


def test_two_players_in_one_paragraph_are_two_figures() -> None:
    out = render_markdown("![audio: one](1.mp3)\n![audio: two](2.mp3)")
    assert out.count("<figure>") == 2
    assert "<p>" not in out


def test_inline_rendering_has_no_blocks() -> None:
    out = render_inline("# Not a heading *but* `code`\n- not a list")
    assert out == "# Not a heading <em>but</em> <code>code</code>\n- not a list"


def test_inline_rendering_keeps_links_and_players() -> None:
    out = render_inline("[a](https://example.org) ![audio: b](b.mp3)", BASE)
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">a</a>' in out
    assert f'<audio controls="" preload="none" src="{BASE}/b.mp3" title="b"></audio>' in out


def test_plain_rendering_escapes_everything() -> None:
    assert render_plain('<b> & "x" *y*') == "&lt;b&gt; &amp; &#34;x&#34; *y*"


def test_plain_text_drops_markup_and_is_not_escaped() -> None:
    assert plain_text('Undo *your* `<last>` commit & "more"') == 'Undo your <last> commit & "more"'


def test_results_are_markup_so_jinja_does_not_escape_them_twice() -> None:
    template = Environment(autoescape=True).from_string("{{ body }}|{{ title }}|{{ tag }}|{{ raw }}")
    text = "a < b & `c < d`"
    out = template.render(
        body=render_markdown(text), title=render_inline(text), tag=render_plain(text), raw=text
    )
    assert out == (
        "<p>a &lt; b &amp; <code>c &lt; d</code></p>\n|a &lt; b &amp; <code>c &lt; d</code>"
        "|a &lt; b &amp; `c &lt; d`|a &lt; b &amp; `c &lt; d`"
    )
    for result in (render_markdown(text), render_inline(text), render_plain(text)):
        assert isinstance(result, Markup)


def test_slots_become_spans_with_escaped_text() -> None:
    text = f"Run `git {slot_marker(0)}` to {slot_marker(1)}."
    out = render_markdown_with_slots(text, ["<reset>", "undo"], "cloze-blank")
    assert out == (
        '<p>Run <code>git <span class="cloze-blank" data-slot="0">&lt;reset&gt;</span></code> to '
        '<span class="cloze-blank" data-slot="1">undo</span>.</p>\n'
    )


def test_slot_class_must_be_a_known_one() -> None:
    with pytest.raises(ValueError, match="slot_class"):
        render_markdown_with_slots("x", [], 'x" onclick="y')


def test_forged_slot_markers_in_author_text_can_be_removed() -> None:
    assert remove_slot_markers(f"a{slot_marker(3)}b") == "a3b"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("a.mp3", "audio"),
        ("a.M4A?x=1", "audio"),
        ("v.webm#t=3", "video"),
        ("i.svg", "image"),
        ("mp3", "image"),
    ],
)
def test_media_kind_follows_the_extension(url: str, kind: str) -> None:
    assert media_kind(url) == kind


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("media/a.png", "/m/", "/m/media/a.png"),
        ("./media/a.png", "/m", "/m/media/a.png"),
        ("media/a.png", None, "media/a.png"),
        ("https://x.org/a.png", "/m/", "https://x.org/a.png"),
        ("HTTP://x.org/a.png", "/m/", "HTTP://x.org/a.png"),
        ("/static/a.png", "/m/", "/static/a.png"),
        ("javascript:alert(1)", "/m/", None),
        ("java%09script:alert(1)", "/m/", None),
        ("java%73cript:alert(1)", None, None),
        ("data:image/png;base64,AA", "/m/", None),
        ("file:///etc/passwd", "/m/", None),
        ("media/../../secret.png", "/m/", None),
        ("media/%2e%2e/secret.png", "/m/", None),
        ("media\\a.png", "/m/", None),
    ],
)
def test_resolve_media_url(url: str, base: str | None, expected: str | None) -> None:
    assert resolve_media_url(url, base) == expected


@given(st.text(max_size=200))
def test_plain_rendering_round_trips(text: str) -> None:
    assert html.unescape(render_plain(text)) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_text_without_markdown_syntax_survives_inline_rendering(text: str) -> None:
    plain = "".join(ch for ch in text if ch.isalnum() or ch == " ")
    assert html.unescape(render_inline(plain)) == plain
