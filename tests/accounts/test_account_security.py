"""The private calendar link dies with the secrets it was handed out under: a password reset, a
password change and a changed or newly confirmed email address each give a new one; and the
confirmation page says which account an address is being added to."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _link(message_body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message_body).group(1)


def _token(user) -> str:
    return User.objects.values_list("calendar_token", flat=True).get(pk=user.pk)


def test_password_reset_through_the_emailed_link_gives_a_new_calendar_link(client, member):
    before = _token(member)
    client.post(reverse("account_reset_password"), {"email": member.email})
    reset_url = _link(mail.outbox[0].body)
    page = client.get(reset_url, follow=True)
    action_url = page.redirect_chain[-1][0] if page.redirect_chain else reset_url
    response = client.post(
        action_url, {"password1": "a brand new phrase", "password2": "a brand new phrase"}
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert _token(member) != before


def test_password_change_gives_a_new_calendar_link(client, member):
    before = _token(member)
    client.force_login(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "new phrase 123", "password2": "new phrase 123"},
    )
    assert response.status_code == 302
    assert _token(member) != before


def test_failed_password_change_keeps_the_calendar_link(client, member):
    before = _token(member)
    client.force_login(member)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "new phrase 123", "password2": "new phrase 123"},
    )
    assert _token(member) == before


def test_email_change_gives_a_new_calendar_link(client, member):
    client.force_login(member)
    client.post(reverse("account_email"), {"action_add": "", "email": "ann.new@example.com"})
    before = _token(member)
    response = client.post(_link(mail.outbox[0].body))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "ann.new@example.com"
    assert _token(member) != before


def _park(make_user):
    """Someone adds a victim's address to their own account through the email page."""
    parker = make_user(email="parker@example.com", display_name="Parker Smith")
    parker_client = Client()
    parker_client.force_login(parker)
    parker_client.post(reverse("account_email"), {"action_add": "", "email": "victim@example.com"})
    (message,) = [m for m in mail.outbox if m.to == ["victim@example.com"]]
    return parker, _link(message.body)


def test_confirming_an_address_parked_on_an_account_gives_a_new_calendar_link(client, make_user):
    """Should the victim confirm the parked address, a calendar link handed out before must not
    keep working for whoever knew it."""
    parker, link = _park(make_user)
    before = _token(parker)
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="victim@example.com", user=parker).verified
    assert _token(parker) != before


def test_the_confirmation_page_names_the_account_the_address_goes_to(client, make_user):
    _parker, link = _park(make_user)
    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "victim@example.com" in content
    assert "Parker Smith" in content
    # The page names the account by its login, masked (a display name can be copied), and
    # never shows its other addresses whole.
    assert "p•••@example.com" in content
    assert "parker@example.com" not in content


def test_a_copied_display_name_does_not_pass_for_the_victims_account(client, make_user):
    """The parker takes the victim's own name: the page still shows whose login it is."""
    make_user(email="victim-login@example.org", display_name="Vera Victim")
    parker = make_user(email="zed@parker.example", display_name="Vera Victim")
    parker_client = Client()
    parker_client.force_login(parker)
    parker_client.post(reverse("account_email"), {"action_add": "", "email": "victim@example.com"})
    (message,) = [m for m in mail.outbox if m.to == ["victim@example.com"]]
    content = client.get(_link(message.body)).content.decode()
    assert "z•••@parker.example" in content
    assert "v•••@example.org" not in content


def test_a_password_set_outside_the_website_also_replaces_the_calendar_link(make_user):
    """The admin and `manage.py changepassword` set passwords with set_password too."""
    member = make_user(email="quiet@example.com")
    before = _token(member)
    member.set_password("a new long phrase here")
    member.save()
    assert _token(member) != before
