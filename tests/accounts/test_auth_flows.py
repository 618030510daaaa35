"""Signing up, confirming the email address, logging in, and being locked out."""

import re

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _link(message_body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message_body).group(1)


def test_signup_sends_confirmation_email_and_confirmed_account_can_log_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Newcomer@Example.com",
            "display_name": "Nia",
            "password1": "a long and private phrase",
            "password2": "a long and private phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="newcomer@example.com")
    assert user.display_name == "Nia"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.com"]
    assert message.subject.startswith("[Connect] ")
    assert message.body.startswith("Hello from Connect!")

    # Not confirmed yet: logging in only sends the person back to "check your email".
    response = client.post(
        reverse("account_login"),
        {"login": "newcomer@example.com", "password": "a long and private phrase"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = _link(message.body)
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b'<form method="post"' in page.content
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "newcomer@example.com", "password": "a long and private phrase"},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_form_errors_are_shown_with_labels(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "display_name": "", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="errorlist' in content
    assert '<label for="id_display_name">' in content
    assert '<label for="id_email">' in content
    assert not User.objects.exists()
    assert mail.outbox == []


def test_wrong_password_is_refused_with_a_form_error(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_out_even_the_right_password(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    assert response.status_code == 429
    assert "account/lockout.html" in [t.name for t in response.templates]

    response = client.post(
        reverse("account_login"), {"login": member.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert reverse("account_reset_password") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_does_not_affect_another_account(client, member, make_user, settings):
    other = make_user(email="bo@example.com")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_successful_login_resets_the_failure_count(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=member.email, failures_since_start__gt=0)


def test_password_reset_link_ends_the_lock_out(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    assert (
        client.post(
            reverse("account_login"), {"login": member.email, "password": PASSWORD}
        ).status_code
        == 429
    )

    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0].body)
    form_page = client.get(reset_url, follow=True)
    assert form_page.status_code == 200
    assert b'<label for="id_password1">' in form_page.content
    action_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    response = client.post(
        action_url, {"password1": "a brand new phrase", "password2": "a brand new phrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "a brand new phrase"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_logout_asks_for_confirmation_and_logs_out_on_post(client, member):
    client.force_login(member)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert b'<form method="post"' in page.content
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_needs_the_current_password(client, member):
    client.force_login(member)
    url = reverse("account_change_password")
    page = client.get(url)
    assert page.status_code == 200
    assert b'<label for="id_oldpassword">' in page.content
    response = client.post(
        url, {"oldpassword": "wrong", "password1": "new phrase 123", "password2": "new phrase 123"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    response = client.post(
        url,
        {"oldpassword": PASSWORD, "password1": "new phrase 123", "password2": "new phrase 123"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("new phrase 123")


def test_email_change_sends_confirmation_to_the_new_address(client, member):
    client.force_login(member)
    url = reverse("account_email")
    page = client.get(url)
    assert page.status_code == 200
    assert b'<label for="id_email">' in page.content
    response = client.post(url, {"action_add": "", "email": "ann.new@example.com"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ann.new@example.com"]]
    page = client.get(url)
    assert "ann.new@example.com" in page.content.decode()

    confirm_url = _link(mail.outbox[0].body)
    client.post(confirm_url)
    member.refresh_from_db()
    assert member.email == "ann.new@example.com"
    assert EmailAddress.objects.get(user=member, primary=True).email == "ann.new@example.com"


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("account_login", 'for="id_login"'),
        ("account_signup", 'for="id_display_name"'),
        ("account_reset_password", 'for="id_email"'),
        ("account_reset_password_done", None),
        ("account_email_verification_sent", None),
    ],
)
def test_entrance_pages_use_the_site_layout(client, url_name, label):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert "<h1>" in content
    if label:
        assert label in content
    assert "<script" not in content


def test_bad_confirmation_key_shows_a_page_not_an_error(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert response.status_code == 200
    assert "expired or is not valid" in response.content.decode()


def test_bad_password_reset_key_shows_a_page_not_an_error(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    )
    assert response.status_code == 200
    assert "Link not valid" in response.content.decode()


def test_login_and_logout_messages_use_the_sites_words(client, member):
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, follow=True
    )
    assert "Welcome back, Ann Example. You are logged in." in response.content.decode()
    assert "Welcome to Connect" not in response.content.decode()
    response = client.post(reverse("account_logout"), follow=True)
    assert "You have logged out." in response.content.decode()


def test_behind_a_proxy_the_lock_out_counts_the_visitors_address(client, member, settings):
    """With TRUSTED_PROXY_COUNT=1, failures from one visitor do not lock the member out when
    they log in from another address, although both arrive from the proxy's 127.0.0.1."""
    from django.core.cache import cache

    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "wrong"}, **attacker
        )
    locked = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, **attacker
    )
    assert locked.status_code == 429
    # allauth's own per-address limit is short-lived; what must not last is the axes lock-out.
    cache.clear()
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.44",
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


# --- Back to the event after signing up ----------------------------------------------------

EVENT_PATH = "/events/choir-night/"


def _sign_up(client, *, next_path=EVENT_PATH, email="nia@example.com"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Nia Newcomer",
            "password1": "a long and private phrase",
            "password2": "a long and private phrase",
            "next": next_path,
        },
    )


def test_confirming_in_the_same_browser_lands_on_the_event_logged_in_and_welcomed(client):
    response = _sign_up(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    confirm_url = _link(mail.outbox[0].body)
    response = client.post(confirm_url, follow=True)
    assert response.redirect_chain[-1][0] == EVENT_PATH
    user = User.objects.get(email="nia@example.com")
    assert int(client.session["_auth_user_id"]) == user.pk
    texts = [str(m) for m in response.context["messages"]]
    assert "Welcome to Connect, Nia Newcomer. You are logged in." in texts
    assert not any("Welcome back" in text for text in texts)


def test_confirming_in_another_browser_asks_to_log_in_then_lands_on_the_event(client):
    from django.test import Client

    _sign_up(client)
    confirm_url = _link(mail.outbox[0].body)
    other = Client()
    page = other.get(confirm_url)
    assert b'name="next"' in page.content
    response = other.post(confirm_url, {"next": page.context["redirect_field_value"]})
    login_then = reverse("account_login") + "?next=" + EVENT_PATH.replace("/", "%2F")
    assert response["Location"] == login_then
    assert "_auth_user_id" not in other.session
    response = other.post(
        login_then, {"login": "nia@example.com", "password": "a long and private phrase"}
    )
    assert response["Location"] == EVENT_PATH
    texts = [str(m) for m in get_messages_of(other, response)]
    assert "Welcome to Connect, Nia Newcomer. You are logged in." in texts


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/events/", "/\\evil.example", "javascript:alert(1)"],
)
def test_only_a_local_path_rides_in_the_confirmation_link(client, unsafe):
    _sign_up(client, next_path=unsafe)
    body = mail.outbox[0].body
    assert "evil" not in body
    assert "next=" not in body
    response = client.post(_link(body))
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


def test_logging_in_from_an_event_returns_to_it(client, member):
    response = client.post(
        reverse("account_login") + "?next=" + EVENT_PATH,
        {"login": member.email, "password": PASSWORD, "next": EVENT_PATH},
    )
    assert response["Location"] == EVENT_PATH


def test_log_in_and_sign_up_pages_pass_the_event_on_to_each_other(client):
    login_page = client.get(reverse("account_login"), {"next": EVENT_PATH}).content.decode()
    assert reverse("account_signup") + "?next=%2Fevents%2Fchoir-night%2F" in login_page
    signup_page = client.get(reverse("account_signup"), {"next": EVENT_PATH}).content.decode()
    assert reverse("account_login") + "?next=%2Fevents%2Fchoir-night%2F" in signup_page
    assert f'name="next" value="{EVENT_PATH}"' in signup_page
    assert "you come back to the page you were on, logged in" in signup_page


def get_messages_of(client, response):
    """The messages the redirect's page shows (read by following it once)."""
    follow = client.get(response["Location"])
    return follow.context["messages"] if follow.context else []
