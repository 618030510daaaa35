"""Markdown written by members, rendered to HTML that is safe to show to everyone."""

import contextlib
import functools
import hashlib
import html as html_lib
import threading
from collections import OrderedDict

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Excerpts kept per process (a directory page shows twenty): keyed by a digest of the text, so
# a long description is not held twice.
EXCERPTS_KEPT = 4096

_local = threading.local()
_excerpts: OrderedDict[tuple[bytes, int], str] = OrderedDict()


def _to_html(text: str) -> str:
    """Markdown's HTML for `text`, by a converter kept per thread: building one (its parsers
    and patterns) costs several times what converting a short text does; reset() clears what
    a conversion leaves (reference links, HTML stash)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=["sane_lists"])
    try:
        return converter.reset().convert(text)
    except BaseException:
        # A conversion cut short (a text nested too deep) leaves parser state reset() does not
        # clear: the next text gets a new converter.
        _local.converter = None
        raise


def render_markdown(text: str) -> SafeString:
    """Render Markdown and strip everything but a small, safe set of tags and attributes."""
    return _rendered(text or "")


# The HTML depends on the text alone: a page shown again (an event's description to each member
# who opens it) is not rendered again. Kept per process, the most recently used first.
@functools.lru_cache(maxsize=256)
def _rendered(text: str) -> SafeString:
    cleaned = nh3.clean(
        _to_html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it


def markdown_to_text(text: str) -> str:
    """The words of member-written Markdown without its formatting, for excerpts."""
    return html_lib.unescape(nh3.clean(_to_html(text or ""), tags=set())).strip()


def markdown_excerpt(text: str, words: int) -> str:
    """The first `words` words of `markdown_to_text(text)` (as the `truncatewords` filter cuts
    them), kept per process: the group directory shows one on every card."""
    key = (hashlib.blake2b((text or "").encode(), digest_size=16).digest(), words)
    try:
        excerpt = _excerpts[key]
    except KeyError:
        pass
    else:
        with contextlib.suppress(KeyError):  # another thread may have just let it go
            _excerpts.move_to_end(key)
        return excerpt
    excerpt = Truncator(markdown_to_text(text)).words(words, truncate=" …")
    _excerpts[key] = excerpt
    while len(_excerpts) > EXCERPTS_KEPT:
        _excerpts.popitem(last=False)
    return excerpt
