"""Markdown written by members, rendered to HTML that is safe to show to everyone."""

import functools
import html as html_lib

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> SafeString:
    """Render Markdown and strip everything but a small, safe set of tags and attributes."""
    return _rendered(text or "")


# The HTML depends on the text alone: a page shown again (an event's description to each member
# who opens it) is not rendered again. Kept per process, the most recently used first.
@functools.lru_cache(maxsize=256)
def _rendered(text: str) -> SafeString:
    html = markdown_lib.markdown(text, extensions=["sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it


def markdown_to_text(text: str) -> str:
    """The words of member-written Markdown without its formatting, for excerpts."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()
