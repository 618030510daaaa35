"""Form fields shared by every app."""

import datetime as dt
import threading
import zoneinfo
from collections import OrderedDict
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import get_script_prefix, reverse_lazy
from django.utils import timezone as dj_timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import places, when

DEFAULT_RADIUS_KM = 25.0
MAX_RADIUS_KM = 500.0
REMEMBERED_PLACE_KEY = "search_where"


def where_formfield() -> forms.CharField:
    """The one "where" box of the search forms: a town, city or postcode (never coordinates).
    static/js/where.js adds suggestions as you type from the URL in data-suggest-url."""
    return forms.CharField(
        label=_("Near"),
        max_length=100,
        required=False,
        help_text=_("A town, city or postcode. Leave empty for anywhere."),
        widget=forms.TextInput(
            attrs={
                "data-suggest-url": reverse_lazy("place_suggestions"),
                "autocomplete": "address-level2",
                "placeholder": _("e.g. Leeds"),
            }
        ),
    )


def radius_formfield() -> forms.FloatField:
    """How far from the place: a short list to pick from (old links with any number work)."""
    choices = [
        ("", _("Within 25 km")),
        ("2", _("Within 2 km")),
        ("5", _("Within 5 km")),
        ("10", _("Within 10 km")),
        ("50", _("Within 50 km")),
        ("100", _("Within 100 km")),
    ]
    return forms.FloatField(
        label=_("Distance"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_KM,
        widget=forms.Select(choices=choices),
    )


def coordinate_formfields() -> tuple[forms.FloatField, forms.FloatField]:
    """Latitude and longitude of old links (?lat=&lon=): read, never asked of a person."""
    return (
        forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput),
        forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput),
    )


def when_formfield() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("weekend", _("This weekend")),
            ("week", _("This week")),
        ],
    )


def shortcut_dates(shortcut: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a date shortcut, from `today` in the viewer's zone. "This
    weekend" is the coming Saturday and Sunday (or what is left of it); "this week" runs to
    Sunday."""
    if shortcut == "today":
        return today, today
    if shortcut == "tomorrow":
        tomorrow = today + dt.timedelta(days=1)
        return tomorrow, tomorrow
    sunday = today + dt.timedelta(days=6 - today.weekday())
    if shortcut == "weekend":
        return max(today, sunday - dt.timedelta(days=1)), sunday
    if shortcut == "week":
        return today, sunday
    return None


def viewer_zone(user) -> zoneinfo.ZoneInfo:
    name = getattr(user, "timezone", "") if user is not None and user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def remembered_place(request) -> str:
    """The place a visitor chose earlier in this visit (kept in the session), or ""."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""  # no session: nothing to read, and none is started by reading
    return request.session.get(REMEMBERED_PLACE_KEY, "")


def remember_place(request, form) -> None:
    """Keep the place chosen on a valid search form for the rest of the visit, or forget it when
    the box was emptied. Only a chosen place starts a session: pages searched without one stay
    cacheable for visitors (core.pagecache)."""
    if "where" not in request.GET or not form.is_valid():
        return
    place = form.place
    if place is not None and form.cleaned_data.get("where"):
        if request.session.get(REMEMBERED_PLACE_KEY) != str(place):
            request.session[REMEMBERED_PLACE_KEY] = str(place)
    elif settings.SESSION_COOKIE_NAME in request.COOKIES:
        request.session.pop(REMEMBERED_PLACE_KEY, None)


# Search fields drawn, by what decides their HTML (see _fields_html): drawing the filters is
# the costliest part of a search page a signed-in member is shown (visitors get the whole
# page from core.pagecache), and most searches are the few same ones.
_DRAWN: "OrderedDict[tuple, SafeString]" = OrderedDict()
_DRAWN_MAX = 256
# A key longer than this (long input in the query string) is drawn and not kept.
_DRAWN_KEY_MAX = 2000
_drawn_lock = threading.Lock()


def _fields_html(form, fields: list) -> SafeString:
    """`fields` of a search form drawn as `{{ field.as_field_group }}` each would draw them,
    kept in this process by everything their HTML depends on: the form's class (whose fields
    are the same for every instance), prefix and ids, the language, the site's script prefix,
    and each field's name, value and errors. Two people searching with the same input get the
    same HTML however it was made, so nothing of one is ever shown to another."""
    state = tuple(
        (field.name, repr(field.value()), tuple(str(error) for error in field.errors))
        for field in fields
    )
    key = (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        str(form.auto_id),
        get_language(),
        get_script_prefix(),
        state,
    )
    if len(repr(key)) > _DRAWN_KEY_MAX:
        return mark_safe("".join(field.as_field_group() for field in fields))  # noqa: S308
    with _drawn_lock:
        found = _DRAWN.get(key)
        if found is not None:
            _DRAWN.move_to_end(key)
            return found
    # Each part is drawn by the form templates (escaped there).
    drawn = mark_safe("".join(field.as_field_group() for field in fields))  # noqa: S308
    with _drawn_lock:
        _DRAWN[key] = drawn
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)
    return drawn


class WhenAndWhereSearchMixin:
    """Search forms with `when`, `date_from`/`date_to`, `where` (a town, city or postcode,
    through core.places) and `radius_km`, plus `lat`/`lon` from old links (events, volunteer
    projects): dates within the site's range and in order; a shortcut (today, tomorrow, this
    weekend, this week) in the viewer's zone; an unknown or ambiguous place is a form error with
    `place_choices` to offer ("did you mean"); a radius alone means "near the place in my
    profile"; a place alone a default radius.

    Built with `user=` (the person searching, maybe anonymous) and `default_where=` (a place
    remembered for the visit). When the query does not mention a place at all (nor a group),
    the box starts with the remembered place, else with the city of the member's profile
    ("near you")."""

    def __init__(self, *args, user=None, default_where: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.place = None
        self.place_choices = []
        # No default place for one group's events (?group=): they are wherever the group meets.
        if self.is_bound and not ({"where", "lat", "lon", "group"} & set(self.data)):
            default = default_where or self._profile_city()
            if default:
                self.data = self.data.copy()
                self.data["where"] = default

    def _profile_city(self) -> str:
        """The member's town when the gazetteer knows it (an unknown one is no default: the
        page would open on a "did you mean")."""
        user = self.user
        if user is None or not user.is_authenticated:
            return ""
        city = (user.city or "").strip()[:100]
        return city if city and places.locate_town(city) is not None else ""

    def _clean_date(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None:
            when.check_date_range(value)
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def _profile_point(self) -> tuple[float, float] | None:
        user = self.user
        if user is None or not user.is_authenticated:
            return None
        if user.latitude is not None and user.longitude is not None:
            return user.latitude, user.longitude
        place = places.locate_town(user.city) if user.city else None
        return (place.latitude, place.longitude) if place else None

    def clean(self):
        data = super().clean()
        if shortcut := data.get("when"):
            today = dj_timezone.now().astimezone(viewer_zone(self.user)).date()
            data["date_from"], data["date_to"] = shortcut_dates(shortcut, today)
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date."))
        if any(self.has_error(name) for name in ("where", "lat", "lon", "radius_km")):
            return data
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_km")
        if where := data.get("where"):
            found = places.resolve(where)
            if found.place is None:
                self.place_choices = found.choices
                self.add_error(
                    "where",
                    _("Did you mean one of the places below?")
                    if found.choices
                    else _("We do not know this place: try a nearby town or city."),
                )
                return data
            self.place = found.place
            lat, lon = found.place.latitude, found.place.longitude
        elif (lat is None) != (lon is None):
            raise forms.ValidationError(_("Type a town, city or postcode to search near it."))
        elif lat is None and radius:
            point = self._profile_point()
            if point is None:
                self.add_error(
                    "radius_km",
                    _(
                        "To search by distance, type a town, city or postcode, or add your "
                        "city to your profile."
                    ),
                )
                return data
            lat, lon = point
        data["lat"], data["lon"] = lat, lon
        if lat is not None and not radius:
            data["radius_km"] = DEFAULT_RADIUS_KM
        return data

    MAIN_FIELDS = ("q", "where")

    def main_fields(self) -> list:
        """What a person types first (words, a place): always in view."""
        return [self[name] for name in self.MAIN_FIELDS if name in self.fields]

    def more_fields(self) -> list:
        """The other filters, folded away on the page unless in use."""
        return [field for field in self.visible_fields() if field.name not in self.MAIN_FIELDS]

    def main_fields_html(self) -> SafeString:
        """main_fields drawn (each field's as_field_group, one after the other)."""
        return _fields_html(self, self.main_fields())

    def more_fields_html(self) -> SafeString:
        """more_fields drawn (each field's as_field_group, one after the other)."""
        return _fields_html(self, self.more_fields())

    def more_in_use(self) -> bool:
        """True when any folded filter has a value or an error: the fold is then open."""
        return any(
            self.data.get(field.name) or (self.is_bound and field.errors)
            for field in self.more_fields()
        )

    def place_choice_links(self, path: str) -> list[tuple[str, str]]:
        """(label, URL) for each place the typed one may mean: this search again with it."""
        getlist = getattr(self.data, "getlist", lambda name: [self.data[name]])
        kept = {
            name: getlist(name) for name in self.data if name not in ("where", "lat", "lon", "page")
        }
        return [
            (str(place), f"{path}?{urlencode({**kept, 'where': str(place)}, doseq=True)}")
            for place in self.place_choices
        ]
