"""Registering a person by email for one of the partner's own events or shifts (write scope):
the person gets an email to accept or decline; nothing else happens until they do."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from partners import selectors, services
from partners.api import representations, schema
from partners.api.auth import ReadOrWrite
from partners.api.pagination import paginate
from partners.api.serializers import RegistrationSerializer
from partners.api.views import PartnerAPIView, _page, idempotent


class RegistrationLimit(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Registrations for this event or shift are limited per key."


def _register(view, request, **target) -> Response:
    serializer = RegistrationSerializer(data=request.data if request.data else {})
    serializer.is_valid(raise_exception=True)
    try:
        registration, created = services.registration_create(
            client=view.credentials.client,
            actor=view.credentials.actor,
            email=serializer.validated_data["email"],
            consent=serializer.validated_data["consent"],
            **target,
        )
    except services.RegistrationLimitReached as error:
        raise RegistrationLimit(error.messages[0]) from None
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response({"data": representations.registration_data(registration)}, status=code)


def _list(view, request, **target) -> Response:
    registrations = selectors.own_registrations(
        organization_id=view.credentials.organization_id, **target
    )
    rows, next_cursor, _limit = paginate(
        registrations, params=request.query_params, field="created_at"
    )
    data = [representations.registration_data(r) for r in rows]
    return _page(request, rows, next_cursor, data=data)


class EventRegistrationView(PartnerAPIView):
    """POST (write scope): ask a person, by email and with their consent, to confirm an RSVP to
    one of the partner's own events. GET: the organization's registrations for it, answered or
    not."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="events_registrations_list",
        parameters=schema.PAGE_PARAMETERS,
        responses={200: schema.RegistrationPage, **schema.READ_ERRORS},
        examples=[schema.REGISTRATION_PAGE_EXAMPLE],
    )
    def get(self, request, pk: int):
        event = selectors.access_own_event(group_ids=self.credentials.group_ids, pk=pk)
        return _list(self, request, event=event)

    @extend_schema(
        operation_id="events_registrations_create",
        request=RegistrationSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.RegistrationOne, 200: schema.RegistrationOne, **schema.ERRORS},
        examples=[schema.REGISTRATION_EXAMPLE, schema.REGISTRATION_RESPONSE_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._register(request, pk))

    def _register(self, request, pk):
        event = selectors.access_own_event(group_ids=self.credentials.group_ids, pk=pk)
        return _register(self, request, event=event)


class ShiftRegistrationView(PartnerAPIView):
    """POST (write scope): ask a person, by email and with their consent, to confirm a sign-up
    for one of the partner's own shifts. GET: the organization's registrations for it."""

    permission_classes = [ReadOrWrite]

    @extend_schema(
        operation_id="shifts_registrations_list",
        parameters=schema.PAGE_PARAMETERS,
        responses={200: schema.RegistrationPage, **schema.READ_ERRORS},
        examples=[schema.REGISTRATION_PAGE_EXAMPLE],
    )
    def get(self, request, pk: int):
        shift = selectors.access_own_shift(group_ids=self.credentials.group_ids, pk=pk)
        return _list(self, request, shift=shift)

    @extend_schema(
        operation_id="shifts_registrations_create",
        request=RegistrationSerializer,
        parameters=[schema.IDEMPOTENCY],
        responses={201: schema.RegistrationOne, 200: schema.RegistrationOne, **schema.ERRORS},
        examples=[schema.REGISTRATION_EXAMPLE, schema.REGISTRATION_RESPONSE_EXAMPLE],
    )
    def post(self, request, pk: int):
        return idempotent(request, self.credentials, lambda: self._register(request, pk))

    def _register(self, request, pk):
        shift = selectors.access_own_shift(group_ids=self.credentials.group_ids, pk=pk)
        return _register(self, request, shift=shift)
