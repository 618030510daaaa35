"""Finding an event near me (/events/): a typed place instead of coordinates, "did you mean",
the member's own town, a visitor's place kept for the visit, date shortcuts, words matching the
venue and town, the folded filters, and an empty search that says where to go."""

import datetime as dt
import re
import zoneinfo
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from core.forms import REMEMBERED_PLACE_KEY, shortcut_dates
from events.forms import EventFilterForm
from groups.models import Group
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
LIST = reverse("events:list")


@pytest.fixture
def towns():
    leeds = GroupFactory(name="Chapeltown Walkers", city="Leeds")
    london = GroupFactory(name="Camden Cooks", city="London")
    return {
        "leeds": EventFactory(
            group=leeds, title="Canal walk", latitude=53.80, longitude=-1.55, city="Leeds"
        ),
        "london": EventFactory(
            group=london, title="Soup night", latitude=51.51, longitude=-0.13, city="London"
        ),
    }


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"]]


def test_typing_a_town_finds_its_events_and_not_others(client, towns):
    response = client.get(LIST, {"where": "leeds"})
    assert titles(response) == ["Canal walk"]
    # The event is in Leeds itself: the card says so, not merely "About ... km".
    assert "Less than 1 km away" in response.content.decode()


def test_a_wider_distance_reaches_further(client, towns):
    assert titles(client.get(LIST, {"where": "Manchester"})) == []
    assert titles(client.get(LIST, {"where": "Manchester", "radius_km": "100"})) == ["Canal walk"]


def test_a_postcode_from_the_operators_table_is_a_place(client, towns):
    from core.models import Postcode

    Postcode.objects.create(code="LS73EZ", latitude=53.82, longitude=-1.53)
    assert titles(client.get(LIST, {"where": "LS7 3EZ", "radius_km": "5"})) == ["Canal walk"]


def test_no_form_asks_for_coordinates_but_old_links_still_work(client, towns):
    response = client.get(LIST)
    page = response.content.decode()
    assert 'name="lat"' not in page
    assert 'name="lon"' not in page
    assert 'name="where"' in page
    old = client.get(LIST, {"lat": "53.8", "lon": "-1.55", "radius_km": "10"})
    assert titles(old) == ["Canal walk"]


def test_an_unknown_place_offers_did_you_mean_links_without_javascript(client, towns):
    response = client.get(LIST, {"where": "Leds", "q": "walk"})
    assert response.status_code == 200
    assert response.context["page"] is None
    page = response.content.decode()
    assert "Did you mean one of the places below?" in page
    links = re.findall(r'<li><a href="([^"]+)">Leeds, GB</a></li>', page)
    assert links
    follow = client.get(links[0].replace("&amp;", "&"))
    assert titles(follow) == ["Canal walk"]
    assert follow.context["form"].cleaned_data["q"] == "walk"


def test_a_place_nobody_knows_says_so(client, towns):
    response = client.get(LIST, {"where": "Qqqzzxx"})
    assert "We do not know this place" in response.content.decode()


def test_an_ambiguous_place_lists_its_choices(client, towns, settings):
    settings.SITE_COUNTRY = "US"
    response = client.get(LIST, {"where": "Springfield"})
    page = response.content.decode()
    assert "Springfield, MO, US" in page
    assert "Springfield, IL, US" in page


def test_a_members_profile_town_is_the_default_place(client, towns):
    member = UserFactory(city="Leeds")
    client.force_login(member)
    response = client.get(LIST)
    assert titles(response) == ["Canal walk"]
    assert response.context["form"]["where"].value() == "Leeds"
    # Emptying the box searches everywhere.
    assert sorted(titles(client.get(LIST, {"where": ""}))) == ["Canal walk", "Soup night"]


def test_a_groups_events_list_ignores_the_members_town(client, towns):
    client.force_login(UserFactory(city="Leeds"))
    response = client.get(LIST, {"group": towns["london"].group.slug})
    assert titles(response) == ["Soup night"]


def test_a_member_without_a_town_sees_everything(client, towns):
    client.force_login(UserFactory())
    assert sorted(titles(client.get(LIST))) == ["Canal walk", "Soup night"]


def test_a_radius_alone_uses_the_profile_town(client, towns):
    client.force_login(UserFactory(city="Leeds"))
    assert titles(client.get(LIST, {"radius_km": "10", "q": "walk"})) == ["Canal walk"]


def test_a_visitors_place_is_kept_for_the_visit(client, towns):
    first = client.get(LIST, {"where": "Leeds"})
    assert settings.SESSION_COOKIE_NAME in first.cookies
    assert client.session[REMEMBERED_PLACE_KEY] == "Leeds, GB"
    again = client.get(LIST)
    assert titles(again) == ["Canal walk"]
    assert client.get(reverse("volunteering:list")).context["form"]["where"].value() == "Leeds, GB"
    # Emptying the box forgets it.
    client.get(LIST, {"where": ""})
    assert REMEMBERED_PLACE_KEY not in client.session
    assert sorted(titles(client.get(LIST))) == ["Canal walk", "Soup night"]


def test_searching_without_a_place_starts_no_session_and_stays_cacheable(client, towns, settings):
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get(LIST, {"q": "walk"})
    assert not response.cookies
    assert client.get(LIST, {"q": "walk"})["X-Page-Cache"] == "hit"
    unknown = client.get(LIST, {"where": "Qqqzzxx"})
    assert not unknown.cookies


@pytest.mark.parametrize(
    ("today", "shortcut", "first", "last"),
    [
        (dt.date(2030, 5, 8), "today", dt.date(2030, 5, 8), dt.date(2030, 5, 8)),
        (dt.date(2030, 5, 8), "tomorrow", dt.date(2030, 5, 9), dt.date(2030, 5, 9)),
        (dt.date(2030, 5, 8), "weekend", dt.date(2030, 5, 11), dt.date(2030, 5, 12)),
        (dt.date(2030, 5, 12), "weekend", dt.date(2030, 5, 12), dt.date(2030, 5, 12)),
        (dt.date(2030, 5, 8), "week", dt.date(2030, 5, 8), dt.date(2030, 5, 12)),
        (dt.date(2030, 5, 12), "week", dt.date(2030, 5, 12), dt.date(2030, 5, 12)),
    ],
)
def test_date_shortcuts_cover_their_days(today, shortcut, first, last):
    assert shortcut_dates(shortcut, today) == (first, last)


@time_machine.travel(dt.datetime(2030, 5, 8, 9, 0, tzinfo=LONDON), tick=False)
@pytest.mark.parametrize(
    ("shortcut", "expected"),
    [
        ("today", ["Wednesday"]),
        ("tomorrow", ["Thursday"]),
        ("weekend", ["Saturday", "Sunday late"]),
        ("week", ["Wednesday", "Thursday", "Saturday", "Sunday late"]),
    ],
)
def test_date_shortcuts_filter_in_the_viewers_zone(client, shortcut, expected):
    group = GroupFactory()
    for title, day, hour in [
        ("Wednesday", 8, 18),
        ("Thursday", 9, 18),
        ("Saturday", 11, 10),
        ("Sunday late", 12, 23),
        ("Next Monday", 13, 10),
    ]:
        starts = dt.datetime(2030, 5, day, hour, 0, tzinfo=LONDON)
        EventFactory(
            group=group, title=title, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
        )
    # 23:00 on Sunday in London is already Monday in Auckland; the viewer's zone decides.
    client.force_login(UserFactory(timezone="Europe/London"))
    response = client.get(LIST, {"when": shortcut})
    assert titles(response) == expected
    assert '<details class="more-filters" open>' in response.content.decode()


def test_the_filters_fold_away_unless_in_use(client, towns):
    page = client.get(LIST).content.decode()
    assert '<details class="more-filters">' in page
    page = client.get(LIST, {"category": "music"}).content.decode()
    assert '<details class="more-filters" open>' in page


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Roundhay", ["Canal walk"]), ("leeds", ["Canal walk"]), ("camden", ["Soup night"])],
)
def test_words_match_the_venue_the_town_and_the_group(client, towns, word, expected):
    towns["leeds"].venue_name = "Roundhay Park"
    towns["leeds"].save()
    assert titles(client.get(LIST, {"q": word})) == expected


def test_an_event_without_a_town_matches_its_groups_town(client):
    group = GroupFactory(city="Bradford")
    EventFactory(group=group, title="Tea", city="")
    EventFactory(group=group, title="Trip", city="York")
    assert titles(client.get(LIST, {"q": "bradford"})) == ["Tea"]


def test_an_empty_search_says_where_to_go(client, towns):
    response = client.get(LIST, {"where": "Leeds", "category": "support"})
    page = response.content.decode()
    assert "Support circles are usually private" in page
    assert "See the peer support groups near Leeds" in page
    assert "?category=support&amp;city=Leeds" in page


def test_listed_private_groups_show_as_groups_never_their_events(client, towns):
    circle = GroupFactory(
        name="Chapeltown Grief Circle",
        city="Leeds",
        latitude=53.81,
        longitude=-1.53,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        category="support",
    )
    hidden = GroupFactory(
        name="Unlisted Grief Circle",
        city="Leeds",
        latitude=53.81,
        longitude=-1.53,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=False,
        category="support",
    )
    near = {"latitude": 53.81, "longitude": -1.53}
    EventFactory(group=circle, title="Grief circle evening", venue_name="Secret room", **near)
    EventFactory(group=hidden, title="Grief hidden evening", **near)
    for viewer in (None, UserFactory()):
        if viewer:
            client.force_login(viewer)
        response = client.get(LIST, {"q": "grief", "where": "Leeds"})
        page = response.content.decode()
        assert titles(response) == []
        assert "Chapeltown Grief Circle" in page
        assert circle.get_absolute_url() in page
        assert "Grief circle evening" not in page
        assert "Secret room" not in page
        assert "Unlisted Grief Circle" not in page
        assert "Grief hidden evening" not in page
        assert "Support circles are usually private" in page
    # A member sees the circle's event itself.
    client.force_login(MembershipFactory(group=circle).user)
    member_view = client.get(LIST, {"q": "grief", "where": "Leeds"})
    assert titles(member_view) == ["Grief circle evening"]


def test_private_groups_far_away_are_not_offered(client, towns):
    GroupFactory(
        name="Bristol Grief Circle",
        latitude=51.45,
        longitude=-2.59,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
    )
    page = client.get(LIST, {"q": "grief", "where": "Leeds"}).content.decode()
    assert "Bristol Grief Circle" not in page


@pytest.mark.parametrize("n", [1, 10, 100])
def test_a_place_search_costs_the_same_for_any_number_of_events(
    client, django_assert_num_queries, n
):
    group = GroupFactory()
    EventFactory.create_batch(n, group=group, latitude=53.8, longitude=-1.55)
    client.get(LIST, {"where": "Leeds"})  # the visitor chose a place: it is kept
    # page of events (one more row: is there a next page?), their tags; the session is not
    # in the database
    with django_assert_num_queries(2):
        response = client.get(LIST, {"where": "Leeds", "q": "gathering"})
    assert len(response.context["page"]) == min(n, 20)


@pytest.mark.parametrize("n", [1, 10, 100])
def test_a_member_near_their_town_costs_the_same(client, django_assert_num_queries, n):
    group = GroupFactory()
    EventFactory.create_batch(n, group=group, latitude=53.8, longitude=-1.55)
    client.force_login(UserFactory(city="Leeds"))
    # user, the header's counts, page of events, their tags
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["page"]) == min(n, 20)


def test_the_home_page_suggests_events_near_a_members_town(client, towns):
    client.force_login(UserFactory(city="London"))
    picks = client.get(reverse("home")).context["picks"]
    assert [event.title for event in picks.nearby] == ["Soup night"]


# --- The filters drawn once per input (core.forms._fields_html) -----------------------------


def _drawn_one_by_one(form) -> str:
    return "".join(field.as_field_group() for field in [*form.main_fields(), *form.more_fields()])


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "walk", "where": "Leeds", "radius_km": "10"},
        {"q": "<b>walk</b>", "category": "outdoors", "include_past": "on"},
        {"date_from": "not a date", "where": "Nowhere-on-Sea"},
        {"date_from": "2030-01-02", "date_to": "2030-01-01"},
    ],
)
def test_the_filters_are_drawn_as_each_field_draws_itself_in_each_language(towns, data):
    for language in ("en", "es", "en"):
        with translation.override(language):
            for _n in range(2):  # drawn, then from what was kept
                form = EventFilterForm(QueryDict(urlencode(data)), user=None)
                form.is_valid()
                drawn = str(form.main_fields_html()) + str(form.more_fields_html())
                assert drawn == _drawn_one_by_one(form)
                assert ("Distancia" in drawn) is (language == "es")


def test_members_in_turn_each_find_their_own_town_in_the_box(client, towns):
    leeds, london = UserFactory(city="Leeds"), UserFactory(city="London")
    for _round in range(2):
        for member, town, other in ((leeds, "Leeds", "London"), (london, "London", "Leeds")):
            client.force_login(member)
            html = client.get(LIST).content.decode()
            assert f'value="{town}"' in html
            assert f'value="{other}"' not in html
