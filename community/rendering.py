"""Post Markdown to safe HTML: the training renderer (markdown-it-py, raw HTML escaped, nh3),
then without images (a customer's post must not load third-party pixels into readers' pages)."""

from __future__ import annotations

import nh3

from training.lessons import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, render_lesson

POST_TAGS = ALLOWED_TAGS - {"img"}
POST_ATTRIBUTES = {tag: names for tag, names in ALLOWED_ATTRIBUTES.items() if tag in POST_TAGS}


def render_post(markdown: str) -> str:
    """Safe HTML for a post: no script, handler, style, image or javascript: URL survives."""
    return nh3.clean(
        render_lesson(markdown),
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
