"""Distance search shared by events and volunteer projects: coordinates snapped to a grid of
about 1 km, so that searching by distance cannot pinpoint an address kept hidden."""

import math

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Floor, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0
GRID_CELLS_PER_DEGREE = 100


def _snapped(field: str):
    """The coordinate moved to the middle of its 0.01-degree cell (about 1 km): distances are
    measured from there, so searching by distance cannot pinpoint an address kept hidden."""
    return (Floor(F(field) * GRID_CELLS_PER_DEGREE) + Value(0.5)) / GRID_CELLS_PER_DEGREE


def snap(value: float) -> float:
    """The same snapping in Python."""
    return (math.floor(value * GRID_CELLS_PER_DEGREE) + 0.5) / GRID_CELLS_PER_DEGREE


def _distance_km(lat: float, lon: float):
    """Great-circle distance (haversine) from a point to the row's cell, as a database
    expression."""
    lat1, lon1 = math.radians(lat), math.radians(lon)
    lat2, lon2 = Radians(_snapped("latitude")), Radians(_snapped("longitude"))
    a = Power(Sin((lat2 - Value(lat1)) / 2), 2) + Value(math.cos(lat1)) * Cos(lat2) * Power(
        Sin((lon2 - Value(lon1)) / 2), 2
    )
    # Least() keeps rounding errors from pushing ASin's argument past 1.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0))))


def filter_near(queryset: QuerySet, *, lat: float, lon: float, radius_km: float) -> QuerySet:
    """Rows (events, projects) with coordinates within `radius_km` of the point, annotated
    with `distance_km`."""
    # A bounding box first, so the database can skip far-away rows before the trigonometry
    # (one grid cell wider, as distances are measured from the cell's middle).
    cell = 1 / GRID_CELLS_PER_DEGREE
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM) + cell
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)) + cell, 360.0)
    box = Q(latitude__gte=lat - dlat, latitude__lte=lat + dlat)
    if lon - dlon >= -180 and lon + dlon <= 180:
        box &= Q(longitude__gte=lon - dlon, longitude__lte=lon + dlon)
    return (
        queryset.filter(latitude__isnull=False, longitude__isnull=False)
        .filter(box)
        .annotate(distance_km=_distance_km(lat, lon))
        .filter(distance_km__lte=radius_km)
    )
