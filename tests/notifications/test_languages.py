"""Every notice in its recipient's language: emails are rendered per recipient at send time,
inbox notices in the language of the member reading them."""

import html
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format

from events import notifications as event_notices
from events.services import rsvp_create
from groups.models import Membership
from groups.services import group_delete
from notifications import services
from notifications.models import Channel, Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def confirmation_emails(event, people, dispatch):
    for person in people:
        services.notification_preferences_set(
            user=person, choices={(event_notices.CONFIRMED, Channel.EMAIL): True}
        )
        rsvp_create(event=event, user=person)
    mail.outbox.clear()
    dispatch()
    return {message.to[0]: message for message in mail.outbox}


def test_one_batch_sends_each_recipient_their_own_language(event, dispatch):
    ana = MembershipFactory(group=event.group, user=UserFactory(language="es")).user
    sam = MembershipFactory(group=event.group, user=UserFactory(language="en")).user
    nobody_chose = MembershipFactory(group=event.group, user=UserFactory(language="")).user

    sent = confirmation_emails(event, [ana, sam, nobody_chose], dispatch)

    spanish = sent[ana.email]
    assert spanish.subject == f"Vas a ir: {event.title}"
    assert "Tu asistencia está confirmada." in spanish.body
    assert "Cancela tu confirmación en la página del evento" in spanish.body
    assert "Your RSVP is confirmed." not in spanish.body
    spanish_html = html.unescape(spanish.alternatives[0][0])
    assert '<html lang="es">' in spanish_html
    assert "Tu asistencia está confirmada." in spanish_html
    assert "Darme de baja de estos correos" in spanish_html
    for english in (sent[sam.email], sent[nobody_chose.email]):
        assert '<html lang="en">' in english.alternatives[0][0]
        assert english.subject == f"You're going: {event.title}"
        assert "Your RSVP is confirmed." in english.body
    assert (
        Notification.objects.filter(
            kind=event_notices.CONFIRMED, channel=Channel.EMAIL, status=Notification.Status.SENT
        ).count()
        == 3
    )


def test_dates_in_a_spanish_email_are_written_the_spanish_way(event, dispatch):
    ana = MembershipFactory(group=event.group, user=UserFactory(language="es")).user
    message = confirmation_emails(event, [ana], dispatch)[ana.email]
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
    months = [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
        "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ]  # fmt: skip
    assert f"{local.day} de {months[local.month - 1]} de {local.year}" in message.body


def test_an_inbox_notice_reads_in_the_members_language(client, event, member):
    member.language = "es"
    member.save(update_fields=["language"])
    Notification.objects.create(
        recipient=member,
        kind=event_notices.CONFIRMED,
        channel=Channel.INBOX,
        subject=f"events.event:{event.pk}",
        send_at=event.created_at,
        sent_at=event.created_at,
        status=Notification.Status.SENT,
        dedupe_key=f"inbox-es:{member.pk}",
    )
    rsvp_create(event=event, user=member)
    client.force_login(member)
    page = html.unescape(client.get(reverse("notifications:inbox")).content.decode())
    assert f"Vas a ir: {event.title}" in page
    assert "Bandeja de entrada" in page
    assert "You're going" not in page


def test_a_cancellation_outliving_its_event_is_dated_in_the_recipients_language(event, dispatch):
    organizer = MembershipFactory(group=event.group, role=Membership.Role.ORGANIZER).user
    ana = MembershipFactory(group=event.group, user=UserFactory(language="es")).user
    sam = MembershipFactory(group=event.group, user=UserFactory(language="en")).user
    rsvp_create(event=event, user=ana)
    rsvp_create(event=event, user=sam)
    title = event.title
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
    group_delete(group=event.group, actor=organizer)
    mail.outbox.clear()

    dispatch()

    sent = {m.to[0]: m for m in mail.outbox if title in m.subject}
    assert sent[ana.email].subject.startswith(f"Cancelado: {title}, ")
    with translation.override("es"):
        spanish_day = date_format(local, r"l j \d\e F \d\e Y")
    assert spanish_day in sent[ana.email].subject
    assert sent[sam.email].subject.startswith(f"Cancelled: {title}, ")
    assert f"{local:%A} {local.day} {local:%B %Y}" in sent[sam.email].subject


def test_the_preferences_page_names_reminder_times_in_the_members_language(client, member):
    member.language = "es"
    member.save(update_fields=["language"])
    client.force_login(member)
    page = html.unescape(client.get(reverse("notifications:preferences")).content.decode())
    assert "2 horas antes" in page
    assert "30 minutos antes" in page
    assert "hours before" not in page
