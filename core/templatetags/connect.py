from django import template

from core.markdown import markdown_excerpt, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render member-written Markdown safely."""
    return render_markdown(text)


@register.filter(name="markdown_excerpt")
def markdown_excerpt_filter(text, words):
    """The first `words` words of member-written Markdown as plain text (kept per process);
    autoescaped when shown."""
    return markdown_excerpt(text, int(words))
