"""Lesson Markdown to HTML: CommonMark with tables, raw HTML escaped, then sanitised by nh3."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Raw HTML in a lesson is shown as text, never interpreted; nh3 is the second wall behind it.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
# Column alignment as classes (app.css), not style attributes: the pages' CSP allows no
# inline style.
ALIGNMENTS = ("left", "center", "right")
ALLOWED_CLASSES = {cell: {f"align-{a}" for a in ALIGNMENTS} for cell in ("th", "td")}


def render_lesson(markdown: str) -> str:
    """Safe HTML for `markdown`: no script, event handler, style or javascript: URL survives."""
    tokens = _MARKDOWN.parse(markdown or "")
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            align = str(token.attrs.pop("style")).removeprefix("text-align:").strip()
            if align in ALIGNMENTS:
                token.attrSet("class", f"align-{align}")
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
