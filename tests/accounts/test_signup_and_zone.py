"""Sign-up offers "show only my first name" and a town; new accounts start in the site's zone
and the time zone picker is short (common zones first, then all)."""

import pytest
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.models import User
from core import timezones
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "nia@example.com",
    "display_name": "Nia Adeyemi",
    "password1": "a long and private phrase",
    "password2": "a long and private phrase",
}


def test_signup_offers_first_name_only_and_a_town(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'for="id_show_first_name_only"' in page
    assert 'for="id_city"' in page
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "show_first_name_only": "on", "city": " Leeds "}
    )
    assert response.status_code == 302
    user = User.objects.get(email="nia@example.com")
    assert user.show_first_name_only
    assert user.public_name == "Nia"
    assert user.city == "Leeds"


def test_town_is_optional_and_held_to_the_profile_rules(client):
    assert client.post(reverse("account_signup"), SIGNUP).status_code == 302
    assert User.objects.get(email="nia@example.com").city == ""
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "email": "b@example.com", "city": "Leeds\u202e"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="b@example.com").exists()


def test_new_accounts_start_in_the_sites_zone_not_utc(client, settings):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="nia@example.com").timezone == "Europe/Madrid"


def test_an_unknown_site_zone_falls_back_to_utc(settings):
    settings.SITE_TIME_ZONE = "Mars/Olympus"
    assert timezones.site_timezone() == "UTC"


def test_time_zone_picker_offers_the_sites_and_common_zones_first_then_all_once(settings):
    settings.SITE_TIME_ZONE = "Europe/Madrid"
    (common_label, common), (_other_label, others) = timezones.common_timezone_choices()
    names = [name for name, _label in common]
    assert names[0] == "Europe/Madrid"
    assert "Europe/London" in names
    assert len(names) <= 25
    everything = names + [name for name, _label in others]
    assert len(everything) == len(set(everything)) == len(timezones.timezone_names())
    field = ProfileForm(instance=UserFactory()).fields["timezone"]
    assert next(iter(field.choices))[0] == common_label


def test_profile_page_picker_lists_common_zones_in_a_group(client):
    user = UserFactory(timezone="Europe/London")
    client.force_login(user)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert '<optgroup label="Common time zones">' in page
    assert '<option value="Europe/London" selected>' in page
