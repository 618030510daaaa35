"""The partners app's website page: a person answers a partner's registration by the link in
their email (works logged out; accepting needs an account with the address the email went
to)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import when
from core.exceptions import ServiceError
from core.markdown import render_markdown
from core.web import add_service_error
from partners import services
from partners.forms import RegistrationAnswerForm
from partners.models import Registration
from volunteering.services import waiver_accepted


def _target(registration: Registration) -> dict:
    """What the person is asked about: what, when, which group; no address (that comes with a
    place, as on the website)."""
    if registration.event_id:
        event = registration.event
        return {
            "title": event.title,
            "when": when.span_html(event.starts_at, event.ends_at, event.timezone),
            "group": event.group,
            "project": None,
            "url": event.get_absolute_url(),
        }
    shift = registration.shift
    project = shift.role.project
    return {
        "title": f"{shift.role.name}: {project.title}",
        "when": when.span_html(shift.starts_at, shift.ends_at, shift.timezone),
        "group": project.group,
        "project": project,
        "url": shift.get_absolute_url(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def registration_answer(request, token):
    """GET: what the partner asked, with accept and decline. POST: the answer."""
    registration = services.registration_from_token(token)
    target = _target(registration)
    project = target["project"]
    user = request.user if request.user.is_authenticated else None
    needs_waiver = bool(project) and not waiver_accepted(user=user, project=project)
    needs_age = bool(project and project.minimum_age)
    form = RegistrationAnswerForm(
        request.POST or None, needs_waiver=needs_waiver, needs_age=needs_age
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["answer"] == "decline":
            try:
                services.registration_decline(registration=registration)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.info(request, _("You declined. You are not registered."))
                return redirect(request.path)
        elif user is None:
            return redirect_to_login(request.path)
        else:
            try:
                registration = services.registration_accept(
                    registration=registration,
                    actor=user,
                    accept_waiver=bool(data.get("accept_waiver")),
                    age_confirmed=bool(data.get("age_confirmed")),
                    guardian_name=data.get("guardian_name") or "",
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                if registration.outcome == "waitlisted":
                    messages.info(request, _("It is full: you're on the waitlist."))
                else:
                    messages.success(request, _("You're registered. See you there!"))
                return redirect(target["url"])
    if request.method == "POST":
        status = 400
    context = {
        "registration": registration,
        "partner": registration.client.organization,
        "target": target,
        "form": form,
        "waiver_html": render_markdown(project.waiver_text) if needs_waiver else "",
    }
    return render(request, "partners/registration.html", context, status=status)
