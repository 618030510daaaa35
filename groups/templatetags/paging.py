from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, param=""):
    """The current query string with one page number replaced: `param` names the parameter
    ("page" when empty), so a page with two paginated lists keeps them apart."""
    params = context["request"].GET.copy()
    params[param or "page"] = number
    return params.urlencode()
