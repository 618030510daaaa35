"""Query filters of the list endpoints (django-filter). Unknown query parameters are refused."""

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.geo import filter_near
from core.models import Category
from volunteering.models import Cause, Shift, VolunteerProject

MAX_RADIUS_KM = 500
MAX_ID = 2**63 - 1


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that refuses query parameters it does not know."""

    extra_params: tuple[str, ...] = ("cursor", "limit")

    def is_valid(self):
        valid = super().is_valid()
        known = set(self.filters) | set(self.extra_params)
        for name in sorted(set(self.data) - known):
            self.form.errors[name] = self.form.error_class([_("Unknown query parameter.")])
            valid = False
        return self._times_in_utc() and valid

    def _times_in_utc(self) -> bool:
        """Times are turned to UTC before the query: PostgreSQL refuses offsets beyond 15:59,
        which ISO 8601 and Python accept; a time that overflows the years 1-9999 is refused."""
        ok = True
        cleaned = getattr(self.form, "cleaned_data", {})
        for name, value in list(cleaned.items()):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                try:
                    cleaned[name] = value.astimezone(dt.UTC)
                except OverflowError:
                    message = _("Give a time between the years 1 and 9999.")
                    self.form.errors[name] = self.form.error_class([message])
                    ok = False
        return ok


def _words(queryset, fields, value):
    for word in value.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class GroupFilter(StrictFilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(method="filter_q", max_length=200)

    def filter_q(self, queryset, name, value):
        return _words(queryset, ["name", "description", "city"], value)


class NearFilterSet(StrictFilterSet):
    """`near=lat,lon` with `radius_km` (default 25), the point checked before any query."""

    near = django_filters.CharFilter(method="filter_near_point", max_length=60)
    radius_km = django_filters.NumberFilter(method="ignore", min_value=0.1, max_value=MAX_RADIUS_KM)

    def ignore(self, queryset, name, value):
        return queryset  # read by filter_near_point

    def radius(self) -> float:
        return float(self.form.cleaned_data.get("radius_km") or 25)

    def filter_near_point(self, queryset, name, value):
        lat, lon = parse_point(value)
        return filter_near(queryset, lat=lat, lon=lon, radius_km=self.radius())

    def is_valid(self):
        valid = super().is_valid()
        near = self.form.cleaned_data.get("near") if valid else None
        if near:
            try:
                parse_point(near)
            except ValidationError as error:
                self.form.errors["near"] = self.form.error_class(error.messages)
                valid = False
        return valid


class EventFilter(NearFilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    group = django_filters.NumberFilter(field_name="group_id", min_value=1, max_value=MAX_ID)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    q = django_filters.CharFilter(method="filter_q", max_length=200)

    def filter_q(self, queryset, name, value):
        return _words(queryset, ["title", "description", "group__name"], value)


def parse_point(value: str) -> tuple[float, float]:
    """ "lat,lon" as two floats within range; ValidationError otherwise."""
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise ValidationError(_("Give near as latitude,longitude, e.g. 53.80,-1.55.")) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
        raise ValidationError(_("Latitude is -90 to 90 and longitude -180 to 180."))
    return lat, lon


class ProjectFilter(NearFilterSet):
    """Volunteer projects: starts_after / starts_before select projects with a scheduled shift
    starting then."""

    starts_after = django_filters.IsoDateTimeFilter(method="filter_shift_start")
    starts_before = django_filters.IsoDateTimeFilter(method="filter_shift_start")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    group = django_filters.NumberFilter(field_name="group_id", min_value=1, max_value=MAX_ID)
    cause = django_filters.ChoiceFilter(choices=Cause.choices)
    q = django_filters.CharFilter(method="filter_q", max_length=200)

    def filter_q(self, queryset, name, value):
        return _words(queryset, ["title", "description", "skills", "group__name"], value)

    def filter_shift_start(self, queryset, name, value):
        lookup = "gte" if name == "starts_after" else "lt"
        shifts = Shift.objects.scheduled().filter(
            role__project=OuterRef("pk"), **{f"starts_at__{lookup}": value}
        )
        return queryset.filter(Exists(shifts))


class ShiftFilter(NearFilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    group = django_filters.NumberFilter(
        field_name="role__project__group_id", min_value=1, max_value=MAX_ID
    )
    project = django_filters.NumberFilter(
        field_name="role__project_id", min_value=1, max_value=MAX_ID
    )
    q = django_filters.CharFilter(method="filter_q", max_length=200)

    def filter_q(self, queryset, name, value):
        return _words(queryset, ["role__name", "role__project__title", "notes"], value)

    def filter_near_point(self, queryset, name, value):
        """A shift with its own map position is there; one without, at its project's."""
        lat, lon = parse_point(value)
        radius = self.radius()
        near_shifts = filter_near(Shift.objects.all(), lat=lat, lon=lon, radius_km=radius)
        near_projects = filter_near(
            VolunteerProject.objects.all(), lat=lat, lon=lon, radius_km=radius
        )
        return queryset.filter(
            Q(latitude__isnull=False, pk__in=near_shifts.values("pk"))
            | Q(latitude__isnull=True, role__project__in=near_projects.values("pk"))
        )


class HoursFilter(StrictFilterSet):
    """Verified hours: by project, by the dates worked (inclusive), and verified since a time
    (for incremental sync)."""

    project = django_filters.NumberFilter(field_name="project_id", min_value=1, max_value=MAX_ID)
    worked_from = django_filters.DateFilter(field_name="worked_on", lookup_expr="gte")
    worked_to = django_filters.DateFilter(field_name="worked_on", lookup_expr="lte")
    verified_since = django_filters.IsoDateTimeFilter(field_name="reviewed_at", lookup_expr="gte")
