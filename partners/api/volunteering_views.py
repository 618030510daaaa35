"""The partner API's volunteering views: projects, shifts, their sign-ups and the partner's own
verified hours. Thin like the events views: reads through partners.selectors, writes through
volunteering.services with the client as actor. Care calendars are never exposed."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from groups.models import Group
from partners import selectors
from partners.api import representations, schema
from partners.api.auth import HasReadScope, ReadOrWrite
from partners.api.filters import HoursFilter, ProjectFilter, ShiftFilter
from partners.api.pagination import paginate
from partners.api.serializers import (
    CancelSerializer,
    ProjectWriteSerializer,
    ShiftWriteSerializer,
)
from partners.api.views import PartnerAPIView, _filtered, _page, idempotent
from partners.models import Tombstone
from volunteering import services as volunteering_services
from volunteering.models import Role, VolunteerProject


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data if request.data else {}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _project_response(credentials, pk: int, code=status.HTTP_200_OK) -> Response:
    row = selectors.api_project_row(group_ids=credentials.group_ids, pk=pk)
    return Response({"data": representations.project_data(row, own=True)}, status=code)


def _shift_response(credentials, pk: int, code=status.HTTP_200_OK) -> Response:
    row = selectors.api_shift_row(group_ids=credentials.group_ids, pk=pk)
    return Response({"data": representations.shift_data(row, own=True)}, status=code)


def _tombstones(view, since, kind) -> dict:
    if not since or view.request.query_params.get("cursor"):
        return {}
    return {
        "deleted": [
            representations.tombstone_data(t)
            for t in selectors.api_tombstones(
                organization_id=view.credentials.organization_id, since=since, kind=kind
            )
        ]
    }


class ProjectListView(PartnerAPIView):
    """GET: volunteer projects listed publicly and the partner's own; active ones unless
    updated_since asks for every change (then with tombstones in `deleted`)."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="volunteer_projects_list",
        parameters=[*schema.PROJECT_FILTERS, *schema.PAGE_PARAMETERS],
        responses={200: schema.ProjectPage, **schema.READ_ERRORS},
        examples=[schema.PROJECT_PAGE_EXAMPLE],
    )
    def get(self, request):
        group_ids = self.credentials.group_ids
        projects, cleaned = _filtered(
            ProjectFilter, request, selectors.api_projects(group_ids=group_ids)
        )
        since = cleaned.get("updated_since")
        if not since:
            projects = projects.filter(status=VolunteerProject.Status.ACTIVE)
        field = "updated_at" if since else "created_at"
        rows, next_cursor, _limit = paginate(
            projects, params=request.query_params, field=field, rows=selectors.project_rows
        )
        data = [representations.project_data(p, own=p["group_id"] in group_ids) for p in rows]
        extra = _tombstones(self, since, Tombstone.Kind.PROJECT)
        return _page(request, rows, next_cursor, data=data, extra=extra)

    @extend_schema(
        operation_id="volunteer_projects_create",
        request=ProjectWriteSerializer(creating=True),
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.ProjectOne, **schema.ERRORS},
        examples=[schema.PROJECT_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request):
        """A new volunteer project in one of the partner's own groups, with its roles."""
        return idempotent(request, self.credentials, lambda: self._create(request))

    def _create(self, request):
        fields = _valid(ProjectWriteSerializer, request, creating=True)
        group_id = fields.pop("group")
        roles = fields.pop("roles", [])
        if group_id not in self.credentials.group_ids:
            raise exceptions.ValidationError(
                {"group": [_("Not one of your organization's groups.")]}
            )
        actor = self.credentials.actor
        with transaction.atomic():
            project = volunteering_services.project_create(
                group=Group.objects.get(pk=group_id), actor=actor, **fields
            )
            for role in roles:
                volunteering_services.role_create(project=project, actor=actor, **role)
        return _project_response(self.credentials, project.pk, status.HTTP_201_CREATED)


class ProjectDetailView(PartnerAPIView):
    """GET: one volunteer project the partner sees."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="volunteer_projects_get",
        responses={200: schema.ProjectOne, **schema.READ_ERRORS},
        examples=[schema.PROJECT_ONE_EXAMPLE],
    )
    def get(self, request, pk: int):
        group_ids = self.credentials.group_ids
        row = selectors.api_project_row(group_ids=group_ids, pk=pk)
        return Response(
            {"data": representations.project_data(row, own=row["group_id"] in group_ids)}
        )

    @extend_schema(
        operation_id="volunteer_projects_update",
        request=ProjectWriteSerializer(creating=False),
        responses={200: schema.ProjectOne, **schema.ERRORS},
        examples=[schema.PROJECT_UPDATE_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def patch(self, request, pk: int):
        """Change one of the partner's own projects (a new waiver text is a new version)."""
        project = selectors.access_own_project(group_ids=self.credentials.group_ids, pk=pk)
        fields = _valid(ProjectWriteSerializer, request, creating=False)
        volunteering_services.project_update(
            project=project, actor=self.credentials.actor, **fields
        )
        return _project_response(self.credentials, pk)


class ProjectCancelView(PartnerAPIView):
    """Cancel one of the partner's own projects (write scope): its coming shifts are cancelled
    and their volunteers told."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="volunteer_projects_cancel",
        request=CancelSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={200: schema.ProjectOne, **schema.ERRORS},
        examples=[schema.CANCEL_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._cancel(request, pk))

    def _cancel(self, request, pk):
        project = selectors.access_own_project(group_ids=self.credentials.group_ids, pk=pk)
        fields = _valid(CancelSerializer, request)
        volunteering_services.project_cancel(
            project=project, actor=self.credentials.actor, message=fields.get("message", "")
        )
        return _project_response(self.credentials, pk)


class ShiftListView(PartnerAPIView):
    """GET: shifts of the projects the partner sees, coming ones unless starts_after or
    updated_since say otherwise, each with its signed-up and waitlist counts."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="shifts_list",
        parameters=[*schema.SHIFT_FILTERS, *schema.PAGE_PARAMETERS],
        responses={200: schema.ShiftPage, **schema.READ_ERRORS},
        examples=[schema.SHIFT_PAGE_EXAMPLE],
    )
    def get(self, request):
        group_ids = self.credentials.group_ids
        shifts, cleaned = _filtered(ShiftFilter, request, selectors.api_shifts(group_ids=group_ids))
        since = cleaned.get("updated_since")
        if not since and not cleaned.get("starts_after"):
            shifts = shifts.upcoming()
        field = "updated_at" if since else "starts_at"
        rows, next_cursor, _limit = paginate(
            shifts, params=request.query_params, field=field, rows=selectors.shift_rows
        )
        data = [
            representations.shift_data(s, own=s["role__project__group_id"] in group_ids)
            for s in rows
        ]
        extra = _tombstones(self, since, Tombstone.Kind.SHIFT)
        return _page(request, rows, next_cursor, data=data, extra=extra)

    @extend_schema(
        operation_id="shifts_create",
        request=ShiftWriteSerializer(creating=True),
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.ShiftOne, **schema.ERRORS},
        examples=[schema.SHIFT_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request):
        """A new shift of a role in one of the partner's own projects."""
        return idempotent(request, self.credentials, lambda: self._create(request))

    def _create(self, request):
        fields = _valid(ShiftWriteSerializer, request, creating=True)
        role = (
            Role.objects.filter(
                pk=fields.pop("role"), project__group_id__in=self.credentials.group_ids
            )
            .select_related("project__group")
            .first()
        )
        if role is None:
            raise exceptions.ValidationError(
                {"role": [_("Not a role of your organization's projects.")]}
            )
        actor = self.credentials.actor
        shift = volunteering_services.shift_create(role=role, actor=actor, **fields)
        return _shift_response(self.credentials, shift.pk, status.HTTP_201_CREATED)


class ShiftDetailView(PartnerAPIView):
    """GET: one shift the partner sees."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="shifts_get",
        responses={200: schema.ShiftOne, **schema.READ_ERRORS},
        examples=[schema.SHIFT_ONE_EXAMPLE],
    )
    def get(self, request, pk: int):
        group_ids = self.credentials.group_ids
        row = selectors.api_shift_row(group_ids=group_ids, pk=pk)
        own = row["role__project__group_id"] in group_ids
        return Response({"data": representations.shift_data(row, own=own)})

    @extend_schema(
        operation_id="shifts_update",
        request=ShiftWriteSerializer(creating=False),
        responses={200: schema.ShiftOne, **schema.ERRORS},
        examples=[schema.SHIFT_UPDATE_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def patch(self, request, pk: int):
        """Change one of the partner's own shifts: volunteers are told when its time or place
        changes, and more places go to the waitlist, as on the website."""
        shift = selectors.access_own_shift(group_ids=self.credentials.group_ids, pk=pk)
        fields = _valid(ShiftWriteSerializer, request, creating=False)
        volunteering_services.shift_update(shift=shift, actor=self.credentials.actor, **fields)
        return _shift_response(self.credentials, pk)


class ShiftCancelView(PartnerAPIView):
    """Cancel one of the partner's own shifts (write scope); volunteers are told."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="shifts_cancel",
        request=CancelSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={200: schema.ShiftOne, **schema.ERRORS},
        examples=[schema.CANCEL_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._cancel(request, pk))

    def _cancel(self, request, pk):
        shift = selectors.access_own_shift(group_ids=self.credentials.group_ids, pk=pk)
        fields = _valid(CancelSerializer, request)
        volunteering_services.shift_cancel(
            shift=shift, actor=self.credentials.actor, message=fields.get("message", "")
        )
        return _shift_response(self.credentials, pk)


class ShiftSignupListView(PartnerAPIView):
    """Signed-up and waitlisted volunteers of one of the partner's own shifts."""

    permission_classes = [HasReadScope]

    @extend_schema(
        operation_id="shifts_signups_list",
        parameters=schema.PAGE_PARAMETERS,
        responses={200: schema.SignupPage, **schema.READ_ERRORS},
        examples=[schema.SIGNUP_PAGE_EXAMPLE],
    )
    def get(self, request, pk: int):
        shift = selectors.access_own_shift(group_ids=self.credentials.group_ids, pk=pk)
        signups = selectors.own_shift_signups(shift=shift)
        rows, next_cursor, _limit = paginate(
            signups, params=request.query_params, field="created_at"
        )
        data = [representations.signup_data(s) for s in rows]
        return _page(request, rows, next_cursor, data=data)


class HoursListView(PartnerAPIView):
    """The partner's own verified hours (its groups' projects), for funder reports: filter by
    project and the dates worked; `total_minutes` sums every entry the filters select, not
    only this page."""

    permission_classes = [HasReadScope]

    @extend_schema(
        operation_id="hours_list",
        parameters=[*schema.HOURS_FILTERS, *schema.PAGE_PARAMETERS],
        responses={200: schema.HoursPage, **schema.READ_ERRORS},
        examples=[schema.HOURS_PAGE_EXAMPLE],
    )
    def get(self, request):
        entries, _cleaned = _filtered(
            HoursFilter, request, selectors.own_verified_hours(group_ids=self.credentials.group_ids)
        )
        total = entries.order_by().aggregate(total=Sum("minutes"))["total"] or 0
        rows, next_cursor, _limit = paginate(
            entries, params=request.query_params, field="reviewed_at"
        )
        data = [representations.hours_data(e) for e in rows]
        return _page(request, rows, next_cursor, data=data, extra={"total_minutes": total})
