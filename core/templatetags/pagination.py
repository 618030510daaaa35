from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context, number, param=""):
    """Django's `{% querystring %}` with the page parameter's name in a variable (`param`,
    "page" when empty), so a page with two paginated lists keeps them apart."""
    return querystring(context, **{param or "page": number})
