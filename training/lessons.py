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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"style"},
                      "td": {"style"}}  # fmt: skip


def render_lesson(markdown: str) -> str:
    """Safe HTML for `markdown`: no script, event handler or javascript: URL survives."""
    html = _MARKDOWN.render(markdown or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
