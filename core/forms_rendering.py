"""How the site's forms are drawn: every form and field through one pair of templates."""

from django import forms
from django.forms.renderers import TemplatesSetting


def _mixes_required_and_optional(form) -> bool:
    """Whether a form asks for some of its fields and not others (checkboxes aside: a ticked box
    is a choice, not an answer)."""
    cached = getattr(form, "_mixes_required_and_optional", None)
    if cached is None:
        kinds = {
            field.required
            for field in form.fields.values()
            if not field.widget.is_hidden and not isinstance(field.widget, forms.CheckboxInput)
        }
        cached = form._mixes_required_and_optional = len(kinds) == 2
    return cached


class BoundField(forms.BoundField):
    @property
    def marked_required(self) -> bool:
        """Whether the label says "(required)": only where the form mixes required and optional
        fields; where everything is needed (logging in, signing up) saying so is noise."""
        return self.field.required and _mixes_required_and_optional(self.form)


class FormRenderer(TemplatesSetting):
    """settings.FORM_RENDERER: `{{ form }}` and `{{ field.as_field_group }}` use
    templates/forms/, found like every other template (so a page's templates may include them)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BoundField
