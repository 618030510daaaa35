"""The partner API's views: thin, reading through partners.selectors and writing through
events.services with the client as actor. Every view names its permission classes."""

import datetime as dt
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from core.exceptions import NotFound, ServiceError
from events import services as event_services
from groups.models import Group
from partners import selectors
from partners.api import representations, schema
from partners.api.auth import (
    Credentials,
    HasReadScope,
    HasWriteScope,
    PartnerKeyAuthentication,
    ReadOrWrite,
)
from partners.api.filters import MAX_ID, EventFilter, GroupFilter
from partners.api.pagination import decode_cursor, page_limit, page_of, paginate
from partners.api.problems import PROBLEM_CONTENT_TYPE, exception_handler
from partners.api.renderers import JSONRenderer
from partners.api.serializers import (
    CancelSerializer,
    EventWriteSerializer,
    SeriesWriteSerializer,
)
from partners.api.throttling import PartnerKeyThrottle
from partners.models import IdempotencyRecord


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed."


class IdempotencyMismatch(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with another request body."


class PartnerAPIView(APIView):
    """Authentication by partner key, throttling per key, JSON only, bodies limited in size,
    ETag on successful reads."""

    authentication_classes = [PartnerKeyAuthentication]
    throttle_classes = [PartnerKeyThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @property
    def credentials(self) -> Credentials:
        return self.request.auth

    def initial(self, request, *args, **kwargs):
        length = request.headers.get("content-length") or "0"
        if length.isdigit() and int(length) > settings.PARTNER_API_MAX_BODY_BYTES:
            raise PayloadTooLarge
        super().initial(request, *args, **kwargs)
        if kwargs.get("pk", 0) > MAX_ID:
            raise NotFound  # no row has it, and the database would refuse the number

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in getattr(request, "rate_limit", {}).items():
            response[name] = value
        if request.method == "GET" and response.status_code == 200 and response.data is not None:
            # The body is rendered once, here, and the ETag is the hash of those very bytes
            # (setting content marks the response rendered: it is not rendered again).
            body = response.rendered_content
            response.content = body
            etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
            response["ETag"] = etag
            if etag in _etags(request.headers.get("If-None-Match", "")):
                not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
                not_modified["ETag"] = etag
                for name, value in getattr(request, "rate_limit", {}).items():
                    not_modified[name] = value
                return super().finalize_response(request, not_modified, *args, **kwargs)
        return response


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


@functools.lru_cache(maxsize=256)
def _visible_events(group_ids: frozenset):
    """selectors.api_events for these groups, built once per process: the queryset is a pure
    function of the ids (visibility is decided by the database when it runs) and building it
    costs more than the query itself. Never evaluated here: callers get a fresh clone."""
    return selectors.api_events(group_ids=group_ids)


def _filtered(filterset_class, request, queryset):
    if request.query_params.keys() <= set(filterset_class.extra_params):
        return queryset, {}  # only `limit` or `cursor`: no filter to build or check
    filterset = filterset_class(request.query_params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise exceptions.ValidationError(
            {name: list(messages) for name, messages in filterset.errors.items()}
        )
    return filterset.qs, filterset.form.cleaned_data


def _page(request, rows, next_cursor, *, data, extra=None) -> Response:
    next_url = None
    if next_cursor:
        params = request.query_params.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path) + "?" + params.urlencode()
    body = {"data": data, "next": next_url, **(extra or {})}
    return Response(body)


class GroupListView(PartnerAPIView):
    """Public groups, and the partner's own (also private) groups."""

    permission_classes = [HasReadScope]

    @extend_schema(
        operation_id="groups_list",
        parameters=[*schema.GROUP_FILTERS, *schema.PAGE_PARAMETERS],
        responses={200: schema.GroupPage, **schema.READ_ERRORS},
        examples=[schema.GROUP_PAGE_EXAMPLE],
    )
    def get(self, request):
        group_ids = self.credentials.group_ids
        groups, cleaned = _filtered(GroupFilter, request, selectors.api_groups(group_ids=group_ids))
        field = "updated_at" if cleaned.get("updated_since") else "created_at"
        rows, next_cursor, _limit = paginate(groups, params=request.query_params, field=field)
        data = [representations.group_data(g, own=g.pk in group_ids) for g in rows]
        return _page(request, rows, next_cursor, data=data)


class GroupDetailView(PartnerAPIView):
    """One group the partner sees."""

    permission_classes = [HasReadScope]

    @extend_schema(
        operation_id="groups_get",
        responses={200: schema.GroupOne, **schema.READ_ERRORS},
        examples=[schema.GROUP_ONE_EXAMPLE],
    )
    def get(self, request, pk: int):
        group_ids = self.credentials.group_ids
        group = selectors.api_groups(group_ids=group_ids).filter(pk=pk).first()
        if group is None:
            raise NotFound
        return Response({"data": representations.group_data(group, own=group.pk in group_ids)})


class EventListView(PartnerAPIView):
    """GET: events listed publicly and the partner's own, coming ones unless starts_after or
    updated_since say otherwise; with updated_since, also those that went (`deleted`).
    POST (write scope): a new event in one of the partner's own groups."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="events_list",
        parameters=[*schema.EVENT_FILTERS, *schema.PAGE_PARAMETERS],
        responses={200: schema.EventPage, **schema.READ_ERRORS},
        examples=[schema.EVENT_PAGE_EXAMPLE],
    )
    def get(self, request):
        group_ids = self.credentials.group_ids
        params = request.query_params
        if params.keys() <= set(EventFilter.extra_params):
            # The default list (only `limit` and `cursor`): its query is compiled once.
            limit = page_limit(params)
            cursor = params.get("cursor")
            rows, next_cursor, _limit = page_of(
                selectors.api_coming_event_rows(
                    group_ids=group_ids,
                    now=timezone.now(),
                    limit=limit + 1,
                    after=decode_cursor(cursor, "starts_at") if cursor else None,
                ),
                limit=limit,
                field="starts_at",
            )
            data = [representations.event_data(e, own=e["group_id"] in group_ids) for e in rows]
            return _page(request, rows, next_cursor, data=data)
        events, cleaned = _filtered(EventFilter, request, _visible_events(group_ids).all())
        since = cleaned.get("updated_since")
        if not since and not cleaned.get("starts_after"):
            events = events.upcoming()
        field = "updated_at" if since else "starts_at"
        rows, next_cursor, _limit = paginate(
            events, params=request.query_params, field=field, rows=selectors.event_rows
        )
        data = [representations.event_data(e, own=e["group_id"] in group_ids) for e in rows]
        extra = {}
        if since and not request.query_params.get("cursor"):
            extra["deleted"] = [
                representations.tombstone_data(t)
                for t in selectors.api_tombstones(
                    organization_id=self.credentials.organization_id, since=since
                )
            ]
        return _page(request, rows, next_cursor, data=data, extra=extra)

    @extend_schema(
        operation_id="events_create",
        request=EventWriteSerializer(creating=True),
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.EventOne, **schema.ERRORS},
        examples=[schema.EVENT_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request):
        return idempotent(request, self.credentials, lambda: self._create(request))

    def _create(self, request):
        serializer = EventWriteSerializer(data=request.data, creating=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        group_id = fields.pop("group")
        tags = fields.pop("tags", ())
        if group_id not in self.credentials.group_ids:
            raise exceptions.ValidationError(
                {"group": [_("Not one of your organization's groups.")]}
            )
        group = Group.objects.get(pk=group_id)
        event = event_services.event_create(
            group=group, actor=self.credentials.actor, tags=tags, **fields
        )
        row = selectors.api_event_row(group_ids=self.credentials.group_ids, pk=event.pk)
        return Response(
            {"data": representations.event_data(row, own=True)}, status=status.HTTP_201_CREATED
        )


class EventDetailView(PartnerAPIView):
    """GET: one event the partner sees. PATCH (write scope): change one of its own events."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="events_get",
        responses={200: schema.EventOne, **schema.READ_ERRORS},
        examples=[schema.EVENT_ONE_EXAMPLE],
    )
    def get(self, request, pk: int):
        group_ids = self.credentials.group_ids
        row = selectors.api_event_row(group_ids=group_ids, pk=pk)
        return Response({"data": representations.event_data(row, own=row["group_id"] in group_ids)})

    @extend_schema(
        operation_id="events_update",
        request=EventWriteSerializer(creating=False),
        responses={200: schema.EventOne, **schema.ERRORS},
        examples=[schema.PROBLEM_EXAMPLE],
    )
    def patch(self, request, pk: int):
        group_ids = self.credentials.group_ids
        event = selectors.access_own_event(group_ids=group_ids, pk=pk)
        serializer = EventWriteSerializer(data=request.data, creating=False)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        tags = fields.pop("tags", None)
        event_services.event_update(event=event, actor=self.credentials.actor, tags=tags, **fields)
        row = selectors.api_event_row(group_ids=group_ids, pk=pk)
        return Response({"data": representations.event_data(row, own=True)})


class EventCancelView(PartnerAPIView):
    """Cancel one of the partner's own events (write scope); people going are told."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="events_cancel",
        request=CancelSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={200: schema.EventOne, **schema.ERRORS},
        examples=[schema.CANCEL_EXAMPLE, schema.EVENT_CANCELLED_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._cancel(request, pk))

    def _cancel(self, request, pk):
        group_ids = self.credentials.group_ids
        event = selectors.access_own_event(group_ids=group_ids, pk=pk)
        serializer = CancelSerializer(data=request.data if request.data else {})
        serializer.is_valid(raise_exception=True)
        event_services.event_cancel(
            event=event,
            actor=self.credentials.actor,
            message=serializer.validated_data.get("message", ""),
        )
        row = selectors.api_event_row(group_ids=group_ids, pk=pk)
        return Response({"data": representations.event_data(row, own=True)})


class EventRsvpListView(PartnerAPIView):
    """Going and waitlisted RSVPs of one of the partner's own events."""

    permission_classes = [HasReadScope]

    @extend_schema(
        operation_id="events_rsvps_list",
        parameters=schema.PAGE_PARAMETERS,
        responses={200: schema.RsvpPage, **schema.READ_ERRORS},
        examples=[schema.RSVP_PAGE_EXAMPLE],
    )
    def get(self, request, pk: int):
        event = selectors.access_own_event(group_ids=self.credentials.group_ids, pk=pk)
        rsvps = selectors.own_event_rsvps(event=event)
        rows, next_cursor, _limit = paginate(rsvps, params=request.query_params, field="created_at")
        return _page(request, rows, next_cursor, data=[representations.rsvp_data(r) for r in rows])


def _series_fields(validated: dict) -> dict:
    fields = dict(validated)
    if "duration_minutes" in fields:
        fields["duration"] = dt.timedelta(minutes=fields.pop("duration_minutes"))
    return fields


def _api_field_names(call):
    """Run a series service; its errors about `duration` name the API's `duration_minutes`."""
    try:
        return call()
    except ServiceError as error:
        if not hasattr(error, "error_dict") or "duration" not in error.error_dict:
            raise
        errors = error.field_errors()
        errors["duration_minutes"] = errors.pop("duration")
        raise ServiceError(errors) from error


class SeriesCreateView(PartnerAPIView):
    """POST (write scope): a repeating event in one of the partner's own groups; its first
    dates are made at once and the rest over its horizon, as on the website."""

    permission_classes = [HasWriteScope]

    @extend_schema(
        operation_id="event_series_create",
        request=SeriesWriteSerializer(creating=True),
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.SeriesOne, **schema.ERRORS},
        examples=[schema.SERIES_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request):
        return idempotent(request, self.credentials, lambda: self._create(request))

    def _create(self, request):
        serializer = SeriesWriteSerializer(data=request.data, creating=True)
        serializer.is_valid(raise_exception=True)
        fields = _series_fields(serializer.validated_data)
        group_id = fields.pop("group")
        if group_id not in self.credentials.group_ids:
            raise exceptions.ValidationError(
                {"group": [_("Not one of your organization's groups.")]}
            )
        series = _api_field_names(
            lambda: event_services.event_series_create(
                group=Group.objects.get(pk=group_id), actor=self.credentials.actor, **fields
            )
        )
        series = selectors.access_own_series(group_ids=self.credentials.group_ids, pk=series.pk)
        return Response(
            {"data": representations.series_data(series)}, status=status.HTTP_201_CREATED
        )


class SeriesDetailView(PartnerAPIView):
    """GET: one of the partner's own repeating events. PATCH (write scope): change it and its
    coming dates not edited on their own, as on the website."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="event_series_get",
        responses={200: schema.SeriesOne, **schema.READ_ERRORS},
        examples=[schema.SERIES_RESPONSE_EXAMPLE],
    )
    def get(self, request, pk: int):
        series = selectors.access_own_series(group_ids=self.credentials.group_ids, pk=pk)
        return Response({"data": representations.series_data(series)})

    @extend_schema(
        operation_id="event_series_update",
        request=SeriesWriteSerializer(creating=False),
        responses={200: schema.SeriesOne, **schema.ERRORS},
        examples=[schema.SERIES_UPDATE_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def patch(self, request, pk: int):
        group_ids = self.credentials.group_ids
        series = selectors.access_own_series(group_ids=group_ids, pk=pk)
        serializer = SeriesWriteSerializer(data=request.data, creating=False)
        serializer.is_valid(raise_exception=True)
        fields = _series_fields(serializer.validated_data)
        tags = fields.pop("tags", None)
        _api_field_names(
            lambda: event_services.event_series_update(
                series=series, actor=self.credentials.actor, tags=tags, **fields
            )
        )
        series = selectors.access_own_series(group_ids=group_ids, pk=pk)
        return Response({"data": representations.series_data(series)})


class SeriesStopView(PartnerAPIView):
    """Stop one of the partner's own repeating events (write scope): no more dates are made;
    coming dates are deleted, or cancelled with the message where people were going."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="event_series_stop",
        request=CancelSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={200: schema.SeriesOne, **schema.ERRORS},
        examples=[schema.CANCEL_EXAMPLE, schema.PROBLEM_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._stop(request, pk))

    def _stop(self, request, pk):
        group_ids = self.credentials.group_ids
        series = selectors.access_own_series(group_ids=group_ids, pk=pk)
        serializer = CancelSerializer(data=request.data if request.data else {})
        serializer.is_valid(raise_exception=True)
        event_services.event_series_end(
            series=series,
            actor=self.credentials.actor,
            message=serializer.validated_data.get("message", ""),
        )
        series = selectors.access_own_series(group_ids=group_ids, pk=pk)
        return Response({"data": representations.series_data(series)})


def idempotent(request, credentials: Credentials, handle) -> Response:
    """Run `handle` once per Idempotency-Key (when the partner sent one): a repeat with the same
    body gets the first answer, another body a 422, a repeat while the first runs a 409."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return handle()
    if len(key) > 255:
        raise exceptions.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
    digest = hashlib.sha256(
        f"{request.method} {request.path}\n".encode() + request.body
    ).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                client=credentials.client, key=key, request_hash=digest
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.get(client=credentials.client, key=key)
        if record.request_hash != digest:
            raise IdempotencyMismatch from None
        if not record.completed:
            raise IdempotencyConflict from None
        response = Response(
            json.loads(record.response_body),
            status=record.response_status,
            content_type=PROBLEM_CONTENT_TYPE if record.response_status >= 400 else None,
        )
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = handle()
    except Exception as error:
        response = _handled_error(error, request)
        if response is None or response.status_code >= 500:
            record.delete()
            raise
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        completed=True,
        response_status=response.status_code,
        response_body=json.dumps(response.data, cls=JSONEncoder),
    )
    return response


def _handled_error(error, request):
    return exception_handler(error, {"request": request})


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document of the API, open to anyone (it describes, it holds no data)."""

    permission_classes = [AllowAny]
    authentication_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Browsable docs, served from this site (drf-spectacular-sidecar), no CDN."""

    permission_classes = [AllowAny]
    authentication_classes = []
