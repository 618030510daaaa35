from django import template

from core.markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render member-written Markdown safely."""
    return render_markdown(text)


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """Member-written Markdown as plain words (for excerpts); autoescaped when shown."""
    return markdown_to_text(text)
