"""Lists show a series once, at its next date matching the filters, with "going" badges on
the viewer's dates; a private group's series shows nothing to outsiders; query counts stay
flat. And the standing-RSVP pages: anonymous, forbidden, allowed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventSeries, Rsvp, SeriesRsvp
from events.services import event_series_create, event_update, rsvp_create, series_rsvp_start
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = [1, 10, 100]
SIGNED_IN_MAX = 6


def make_series(group=None, *, title="Choir rehearsal", horizon_days=30, **fields):
    group = group or GroupFactory()
    organizer = (
        Membership.objects.filter(group=group, role=Membership.Role.ORGANIZER).first()
        or MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    ).user
    return event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title=title,
        category="music",
        timezone="Europe/London",
        venue_name="Chapel",
        horizon_days=horizon_days,
        **fields,
    )


def dates(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def listed(client, **params):
    response = client.get(reverse("events:list"), params)
    assert response.status_code == 200
    return response


def test_the_event_list_shows_a_series_once_at_its_next_date(client):
    series = make_series()
    one_off = EventFactory(title="Quiz night")

    response = listed(client)

    shown = list(response.context["page"].object_list)
    assert [e.pk for e in shown if e.series_id] == [dates(series)[0].pk]
    assert one_off in shown
    text = response.content.decode()
    assert text.count("Choir rehearsal</a>") == 1
    assert "Weekly · next" in text
    # Its next dates, each linking to its page.
    assert len(shown[[e.pk for e in shown].index(dates(series)[0].pk)].series_dates) == 4
    for date in dates(series)[:4]:
        assert date.get_absolute_url() in text


def test_filters_apply_to_the_dates(client):
    series = make_series()
    _first, second, third = dates(series)[:3]
    event_update(
        event=third,
        actor=Membership.objects.get(group=series.group).user,
        title="Choir rehearsal: carols",
    )

    by_text = list(listed(client, q="carols").context["page"].object_list)
    assert [e.pk for e in by_text] == [third.pk]

    # The day after the second date has ended (a visitor's dates are UTC): from 22:00 UTC a
    # two-hour date ends on the next day, so counting from its start would still include it.
    day_after = (second.ends_at.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
    by_date = list(listed(client, date_from=day_after.isoformat()).context["page"].object_list)
    assert [e.pk for e in by_date] == [third.pk]


def test_the_viewers_dates_carry_a_going_badge(client):
    series = make_series()
    person = MembershipFactory(group=series.group).user
    second = dates(series)[1]
    rsvp_create(event=second, user=person)
    client.force_login(person)

    response = listed(client)

    card = next(e for e in response.context["page"].object_list if e.series_id)
    assert [d.viewer_status for d in card.series_dates] == [None, Rsvp.Status.GOING, None, None]
    assert response.content.decode().count('class="badge badge-going"') == 1
    series_rsvp_start(series=series, user=person)
    text = listed(client).content.decode()
    assert "You go to every date" in text
    # Each of the four dates, and the card's own (its next) date.
    assert text.count('class="badge badge-going">Going') == 5


def test_a_private_groups_series_shows_nothing_to_outsiders(client):
    hidden = GroupFactory(visibility=Group.Visibility.PRIVATE)
    make_series(hidden, title="Evening circle")
    public = make_series(title="Choir rehearsal")
    outsider = UserFactory()

    for viewer in (None, outsider):
        if viewer:
            client.force_login(viewer)
        for response in (listed(client), client.get(reverse("home"))):
            text = response.content.decode()
            assert "Evening circle" not in text
        shown = listed(client).context["page"].object_list
        assert {e.series_id for e in shown} == {public.pk}
        assert all(d.series_id == public.pk for e in shown for d in e.series_dates)

    member = MembershipFactory(group=hidden).user
    client.force_login(member)
    assert "Evening circle" in listed(client).content.decode()


def test_the_group_page_and_home_show_a_series_once(client):
    series = make_series()
    member = MembershipFactory(group=series.group).user
    client.force_login(member)

    page = client.get(reverse("groups:detail", kwargs={"slug": series.group.slug}))
    assert page.content.decode().count("Choir rehearsal</a>") == 1
    assert "Weekly · next" in page.content.decode()

    picks = client.get(reverse("home")).context["picks"]
    shown = picks.in_my_groups + picks.nearby + picks.newcomer_friendly
    assert [e.pk for e in shown if e.series_id] == [dates(series)[0].pk]


def make_many(n: int) -> None:
    group = GroupFactory()
    for number in range(n):
        make_series(group, title=f"Series {number}", horizon_days=15)
    EventFactory.create_batch(n, group=group)


@pytest.mark.parametrize("n", SIZES)
def test_event_list_with_series_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, n
):
    make_many(n)
    # page of events (each series once, no count), their tags, the series' next dates
    with django_assert_num_queries(3):
        listed(client)
    # newcomer picks (each series once), their tags
    with django_assert_num_queries(2):
        client.get(reverse("home"))
    user = UserFactory()
    client.force_login(user)
    # user, the header's counts, the page (own answers and each row's tags in the same
    # query), the series' next dates
    with django_assert_num_queries(4):
        listed(client)
    # user, the header's counts, "in my groups", newcomer picks, their tags (no location:
    # no "near you")
    with django_assert_num_queries(5):
        client.get(reverse("home"))


def test_series_event_page_for_a_member_runs_a_fixed_number_of_queries(client):
    series = make_series()
    member = MembershipFactory(group=series.group).user
    client.force_login(member)
    url = dates(series)[0].get_absolute_url()
    counts = []
    for n in SIZES:
        regulars = SeriesRsvp.objects.filter(series=series).count()
        for user in [MembershipFactory(group=series.group).user for _ in range(n - regulars)]:
            series_rsvp_start(series=series, user=user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        assert "Go every week" in response.content.decode()
    # Whether they go every week comes with the event: no query of its own.
    assert counts == [counts[0]] * len(SIZES)
    assert counts[0] <= SIGNED_IN_MAX


# The standing-RSVP control and its confirmation page.


def control_url(event):
    return reverse("events:standing_rsvp", kwargs={"slug": event.slug})


def test_visitors_are_asked_to_log_in(client):
    date = dates(make_series())[0]
    assert "Go every week" not in client.get(date.get_absolute_url()).content.decode()
    for response in (
        client.get(control_url(date)),
        client.post(control_url(date), {"action": "start"}),
    ):
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert not SeriesRsvp.objects.exists()


def test_outsiders_of_a_private_group_get_404(client):
    date = dates(make_series(GroupFactory(visibility=Group.Visibility.PRIVATE)))[0]
    client.force_login(UserFactory())
    assert client.get(control_url(date)).status_code == 404
    assert client.post(control_url(date), {"action": "start"}).status_code == 404
    assert not SeriesRsvp.objects.exists()


def test_a_one_off_event_has_no_such_page(client):
    event = EventFactory()
    client.force_login(MembershipFactory(group=event.group).user)
    assert client.get(control_url(event)).status_code == 404


def test_non_members_are_sent_to_join(client):
    date = dates(make_series())[0]
    client.force_login(UserFactory())
    assert "Go every week" not in client.get(date.get_absolute_url()).content.decode()
    response = client.post(control_url(date), {"action": "start"})
    assert response.status_code == 302
    assert response["Location"] == date.get_absolute_url()
    assert not SeriesRsvp.objects.exists()


def test_a_member_starts_and_stops_going_every_week(client):
    series = make_series(capacity=1)
    date = dates(series)[0]
    rsvp_create(event=dates(series)[1], user=MembershipFactory(group=series.group).user)
    member = MembershipFactory(group=series.group).user
    client.force_login(member)
    assert "Go every week" in client.get(date.get_absolute_url()).content.decode()

    confirm = client.get(control_url(date)).content.decode()
    assert "you get a place." in confirm
    assert "full: you join the waitlist." in confirm

    response = client.post(control_url(date), {"action": "start"})
    assert response.status_code == 302
    standing = SeriesRsvp.objects.get(user=member)
    assert Rsvp.objects.get(event=date, user=member).status == Rsvp.Status.GOING
    assert Rsvp.objects.get(event=dates(series)[1], user=member).status == Rsvp.Status.WAITLISTED
    page = client.get(date.get_absolute_url()).content.decode()
    assert "Stop going every week" in page

    confirm = client.get(control_url(date)).content.decode()
    assert "You will give up your place on" in confirm
    assert "You will leave the waitlist for" in confirm
    client.post(control_url(date), {"action": "stop"})
    standing.refresh_from_db()
    assert standing.end_reason == SeriesRsvp.EndReason.STOPPED
    assert not Rsvp.objects.filter(user=member, status=Rsvp.Status.GOING).exists()
    assert "Go every week" in client.get(date.get_absolute_url()).content.decode()


def test_the_page_names_its_methods(client):
    date = dates(make_series())[0]
    client.force_login(MembershipFactory(group=date.group).user)
    assert client.put(control_url(date)).status_code == 405


@pytest.mark.parametrize(
    ("rule", "label", "weekly"),
    [
        ("FREQ=WEEKLY", "weekly", True),
        ("FREQ=WEEKLY;BYDAY=TU", "weekly", True),
        ("FREQ=WEEKLY;BYDAY=TU,TH", "weekly", False),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks", False),
        ("FREQ=MONTHLY;BYDAY=1TU", "monthly", False),
        ("FREQ=DAILY", "daily", False),
    ],
)
def test_a_series_says_how_often_it_repeats(rule, label, weekly):
    series = EventSeries(rrule=rule)
    assert series.frequency_label == label
    assert series.is_weekly is weekly


def test_past_dates_included_say_from_not_next(client):
    series = make_series()
    start = timezone.now() - dt.timedelta(days=7)
    EventFactory(
        group=series.group,
        series=series,
        title="Choir rehearsal",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    text = listed(client, include_past="on").content.decode()
    assert "Weekly · from" in text
    assert text.count("Choir rehearsal</a>") == 1
