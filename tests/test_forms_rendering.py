"""One way to draw a form field, one way to show a form's own (service) errors, one pagination:
each page that shows a form or a list of pages goes through them, so what they promise
(labels, help text and errors tied to their field, links that keep the other filters) holds on
every page."""

import re
from collections import Counter

import pytest
from django import forms
from django.core.paginator import Paginator
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string
from django.urls import reverse

from core.exceptions import ServiceError
from core.forms_rendering import FormRenderer
from core.web import add_service_error
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory


def duplicate_ids(html: str) -> list[str]:
    return [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*\sname="{name}"[^>]*>', html).group(0)


class ExampleForm(forms.Form):
    title = forms.CharField(help_text="A few words.")
    notes = forms.CharField(required=False)
    agree = forms.BooleanField(required=False, help_text="You can change your mind.")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def test_every_form_is_drawn_by_the_sites_renderer():
    assert isinstance(get_default_renderer(), FormRenderer)
    assert ExampleForm().renderer.field_template_name == "forms/field.html"


def test_a_field_with_an_error_is_marked_and_described_by_its_help_and_error():
    form = ExampleForm(data={"title": "", "kind": "a"})
    html = str(form)
    assert 'id="id_title_helptext"' in html
    assert '<ul class="errorlist" id="id_title_error">' in html
    tag = input_tag(html, "title")
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_title_helptext id_title_error"' in tag
    assert '<label for="id_title">Title <span class="muted" aria-hidden="true">' in html
    assert "aria-invalid" not in input_tag(html, "notes")
    assert not duplicate_ids(html)


class LoginLikeForm(forms.Form):
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput)
    remember = forms.BooleanField(required=False)


def test_required_is_said_only_where_a_form_mixes_required_and_optional_fields():
    html = str(ExampleForm())
    assert '<label for="id_title">Title <span class="muted" aria-hidden="true">(required)' in html
    assert '<label for="id_notes">Notes</label>' in html
    html = str(LoginLikeForm())
    assert "(required)" not in html
    assert '<label for="id_password">Password</label>' in html


def test_checkboxes_and_choices_keep_their_labels():
    html = str(ExampleForm())
    assert re.search(
        r'<input type="checkbox" name="agree"[^>]*aria-describedby="id_agree_helptext"[^>]*>'
        r'\s*<label for="id_agree" class="checkbox-label">Agree</label>',
        html,
    )
    assert re.search(r"<fieldset>\s*<legend>Kind", html)
    assert '<label for="id_notes">Notes</label>' in html


def test_a_service_error_without_a_field_is_announced_at_the_top():
    form = ExampleForm(data={"title": "Choir", "kind": "a"})
    assert form.is_valid()
    add_service_error(form, ServiceError("That group was just closed."))
    html = str(form)
    alert = re.search(r'<div class="message message-error" role="alert">(.*?)</div>', html, re.S)
    assert alert
    assert "That group was just closed." in alert.group(1)
    assert html.index('role="alert"') < html.index('name="title"')


def test_a_form_without_errors_has_no_alert():
    assert 'role="alert"' not in str(ExampleForm())


@pytest.mark.django_db
def test_profile_page_ties_each_error_to_its_field(client):
    user = UserFactory()
    client.force_login(user)
    html = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "A" * 81, "timezone": "Europe/London"},
    ).content.decode()
    tag = input_tag(html, "display_name")
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_display_name_helptext id_display_name_error"' in tag
    assert 'id="id_display_name_error"' in html
    assert 'role="alert"' in html
    assert not duplicate_ids(html)


@pytest.mark.django_db
def test_signup_errors_have_one_id_each(client):
    html = client.post(
        reverse("account_signup"),
        {"email": "not an address", "display_name": "", "password1": "x", "password2": "y"},
    ).content.decode()
    for name in ("email", "display_name", "password1"):
        assert f'aria-describedby="id_{name}' in input_tag(html, name)
        assert html.count(f'id="id_{name}_error"') == 1
    assert not duplicate_ids(html)


@pytest.mark.django_db
def test_wrong_password_is_shown_in_the_alert(client):
    html = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "wrong-one"}
    ).content.decode()
    alert = re.search(r'role="alert">(.*?)</div>', html, re.S).group(1)
    assert "errorlist nonfield" in alert


@pytest.mark.django_db
def test_group_form_uses_the_site_field_template(client):
    client.force_login(UserFactory())
    html = client.post(reverse("groups:create"), {"name": ""}).content.decode()
    assert '<div class="field field-error">' in html
    assert 'aria-describedby="id_name_error"' in input_tag(html, "name")
    assert re.search(
        r'<fieldset aria-describedby="id_visibility_helptext id_visibility_error">\s*<legend>', html
    )
    assert "Name:" not in html
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_event_form_shows_the_services_error_on_its_field(client):
    user = UserFactory()
    group = GroupFactory()
    MembershipFactory(group=group, user=user, role=Membership.Role.ORGANIZER)
    client.force_login(user)
    html = client.post(
        reverse("group_event_create", args=[group.slug]),
        {
            "title": "Sing",
            "category": "social",
            "timezone": "Europe/London",
            "venue_name": "Hall",
            "starts_at": "2031-01-02T10:00",
            "ends_at": "2031-01-02T09:00",
        },
    ).content.decode()
    tag = input_tag(html, "ends_at")
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_ends_at_error"' in tag
    assert re.search(r'<ul class="errorlist" id="id_ends_at_error"><li>[^<]+</li></ul>', html)
    assert 'role="alert"' in html
    assert not duplicate_ids(html)


def _links(html: str) -> dict[str, str]:
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'<a href="([^"]*)" rel="(prev|next)"', html)
    }


def test_pagination_keeps_the_other_query_parameters(rf):
    page = Paginator(range(30), 10).page(2)
    request = rf.get("/groups/", {"q": "choir", "tag": ["singing", "folk"], "page": "2"})
    html = render_to_string("_pagination.html", {"page": page}, request=request)
    links = _links(html)
    assert links == {
        "prev": "?q=choir&tag=singing&tag=folk&page=1",
        "next": "?q=choir&tag=singing&tag=folk&page=3",
    }
    assert 'aria-current="page">Page 2 of 3' in html


def test_pagination_with_its_own_parameter_leaves_the_other_list_alone(rf):
    page = Paginator(range(30), 10).page(1)
    request = rf.get("/events/mine/", {"upcoming_page": "3"})
    html = render_to_string(
        "_pagination.html",
        {"page": page, "page_param": "past_page", "fragment": "#past-heading", "label": "Past"},
        request=request,
    )
    assert _links(html) == {"next": "?upcoming_page=3&past_page=2#past-heading"}
    assert '<nav aria-label="Past">' in html


def test_a_single_page_has_no_pagination(rf):
    page = Paginator(range(3), 10).page(1)
    assert "<nav" not in render_to_string("_pagination.html", {"page": page}, request=rf.get("/"))
