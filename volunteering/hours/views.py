"""Hours pages: a volunteer's hours, logging and statements; the coordinators' review, correction
and CSV export; the public statement check. Each names its HTTP methods and works without
JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import NotFound, ServiceError
from core.paging import nearest_page_of
from core.ratelimit import rate_limited
from core.web import add_service_error, message_service_error
from volunteering.hours import selectors, services
from volunteering.hours.export import hours_csv
from volunteering.hours.forms import (
    CorrectionForm,
    ExportForm,
    HoursLogForm,
    ReviewForm,
    StatementForm,
    minutes_of,
)
from volunteering.hours.pdf import render_statement_pdf
from volunteering.hours.statement import hours_text, normalize_code
from volunteering.hours.verification import UNKNOWN, statement_verification
from volunteering.models import HoursEntry

PAGE_SIZE = 50


def _private(response):
    # A statement's address is its key: keep it out of caches, search engines and referrers.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@login_required
def my_hours(request):
    """The volunteer's ledger, totals, and the forms to log hours and ask for a statement."""
    entries = nearest_page_of(
        selectors.my_hours(user=request.user), request.GET.get("page"), PAGE_SIZE
    )
    groups = selectors.my_statement_groups(user=request.user)
    return render(
        request,
        "volunteering/hours/my_hours.html",
        {
            "entries": entries,
            "statement_form": StatementForm(groups=groups),
            "statements": request.user.hours_statements.select_related("group")[:20],
            "coordinated": nearest_page_of(
                selectors.coordinated_projects(user=request.user),
                request.GET.get("projects_page"),
                PAGE_SIZE,
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def hours_log(request):
    """The volunteer logs hours worked, against a shift or a project."""
    form = HoursLogForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_entry_log(
                volunteer=request.user,
                project=data["project"],
                shift=data["shift"],
                worked_on=data["worked_on"],
                minutes=minutes_of(data["hours"]),
                description=data["description"],
                actor=request.user,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your hours are logged. A coordinator will review them."))
            return redirect("volunteering:my_hours")
    return render(request, "volunteering/hours/log.html", {"form": form})


@require_POST
@login_required
def statement_issue(request):
    """The volunteer asks for a statement; it opens as a PDF download."""
    form = StatementForm(request.POST, groups=selectors.my_statement_groups(user=request.user))
    if form.is_valid():
        try:
            statement = services.hours_statement_issue(
                volunteer=request.user, actor=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            message_service_error(request, error)
        else:
            return redirect("volunteering:statement_pdf", code=statement.code)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("volunteering:my_hours")


@require_GET
@login_required
def statement_pdf(request, code):
    """The volunteer's own statement as PDF (404 for anyone else's)."""
    statement = selectors.access_my_statement(user=request.user, code=code)
    data = render_statement_pdf(
        content=statement.content,
        code=statement.code,
        digest=statement.content_hash,
        verify_url=services.statement_verify_url(statement),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hours-statement-{statement.code}.pdf"'
    return _private(response)


@require_GET
@login_required
def project_hours(request, slug):
    """The coordinators' page: hours waiting for review, the ledger, totals and the export."""
    project = selectors.access_coordinated_project(user=request.user, slug=slug, totals=True)
    pending = nearest_page_of(
        selectors.project_pending_hours(project=project),
        request.GET.get("pending_page"),
        PAGE_SIZE,
    )
    ledger = nearest_page_of(
        selectors.project_hours(project=project).reverse(), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "volunteering/hours/project_hours.html",
        {
            "project": project,
            "pending": pending,
            "ledger": ledger,
            "total_hours": hours_text(project.verified_minutes),
            "volunteers": project.verified_volunteers,
            "review_form": ReviewForm(),
            "export_form": ExportForm(),
        },
    )


def _coordinated_entry(request, pk) -> HoursEntry:
    entry = HoursEntry.objects.select_related("project__group", "volunteer").filter(pk=pk).first()
    if entry is None:
        raise NotFound
    selectors.access_coordinated_project(user=request.user, slug=entry.project.slug)
    return entry


@require_POST
@login_required
def entry_review(request, pk):
    """Verify or reject a pending entry (the button pressed says which)."""
    entry = _coordinated_entry(request, pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("decision") == "reject":
            services.hours_entry_reject(entry=entry, actor=request.user, note=note)
            messages.success(request, _("The hours were rejected; the volunteer is told why."))
        else:
            services.hours_entry_verify(entry=entry, actor=request.user, note=note)
            messages.success(request, _("The hours are verified."))
    except ServiceError as error:
        message_service_error(request, error)
    return redirect("volunteering:project_hours", slug=entry.project.slug)


@require_http_methods(["GET", "POST"])
@login_required
def entry_correct(request, pk):
    """Correct verified hours: a reversal and, unless voided, a new entry."""
    entry = _coordinated_entry(request, pk)
    form = CorrectionForm(request.POST or None, initial={"worked_on": entry.worked_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_entry_correct(
                entry=entry,
                minutes=minutes_of(data["hours"]),
                worked_on=data["worked_on"],
                note=data["note"],
                actor=request.user,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The correction is in the ledger."))
            return redirect("volunteering:project_hours", slug=entry.project.slug)
    return render(request, "volunteering/hours/correct.html", {"form": form, "entry": entry})


@require_GET
@login_required
def project_hours_export(request, slug):
    """The project's hours as CSV, for a date range (both ends optional)."""
    project = selectors.access_coordinated_project(user=request.user, slug=slug)
    form = ExportForm(request.GET)
    if not form.is_valid():
        message_service_error(request, ServiceError(form.errors.get("date_to", [])))
        return redirect("volunteering:project_hours", slug=slug)
    entries = selectors.project_hours(project=project, **form.cleaned_data)
    response = HttpResponse(hours_csv(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="hours-{project.slug}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("statement_verify", per=("ip",), methods=("GET",))
def statement_verify_form(request):
    """The form where a code read off a paper statement is typed."""
    typed = request.GET.get("code", "")
    if typed:
        code = normalize_code(typed)
        if code:
            return redirect("volunteering:statement_verify", code=code)
    return _private(
        render(
            request,
            "volunteering/hours/verify_form.html",
            {"typed": typed, "invalid": bool(typed)},
            status=404 if typed else 200,
        )
    )


@require_GET
@rate_limited("statement_verify", per=("ip",), methods=("GET",))
def statement_verify(request, code):
    """Whether the statement with this code is genuine and unchanged, and what it says."""
    verification = statement_verification(code=code)
    status = 404 if verification.state == UNKNOWN else 200
    return _private(
        render(
            request,
            "volunteering/hours/verify.html",
            {"verification": verification},
            status=status,
        )
    )
