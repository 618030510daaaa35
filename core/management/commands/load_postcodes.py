"""Load the operator's postcode table from a CSV file, so that the "where" box takes postcodes.

The file has a header row naming a postcode column (postcode, code or pcd) and the coordinates
(latitude/lat, longitude/lon/lng/long); other columns are ignored. Loading again updates the
codes it holds and leaves the others. Any bad row refuses the whole file (exit status 1, one
line saying where)."""

import csv
import math

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Postcode
from core.places import normalize_postcode

CODE_COLUMNS = ("postcode", "code", "pcd")
LATITUDE_COLUMNS = ("latitude", "lat")
LONGITUDE_COLUMNS = ("longitude", "lon", "lng", "long")
BATCH = 5000


def _column(header: list[str], names: tuple[str, ...], path: str) -> int:
    folded = [name.strip().lower() for name in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    raise CommandError(f"{path}: the header has no {names[0]} column ({', '.join(names)}).")


def _coordinate(text: str, limit: float) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Load postcodes with their coordinates from a CSV file (postcode,latitude,longitude)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file with a header row")

    def handle(self, *args, path, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = self._read(csv.reader(handle), path)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path}: cannot read the file ({error}).") from None
        with transaction.atomic():
            for start in range(0, len(rows), BATCH):
                Postcode.objects.bulk_create(
                    rows[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=["latitude", "longitude"],
                )
        self.stdout.write(f"Loaded {len(rows)} postcodes.")

    def _read(self, reader, path: str) -> list[Postcode]:
        header = next(reader, None)
        if not header:
            raise CommandError(f"{path}: the file is empty.")
        code_at = _column(header, CODE_COLUMNS, path)
        lat_at = _column(header, LATITUDE_COLUMNS, path)
        lon_at = _column(header, LONGITUDE_COLUMNS, path)
        rows: dict[str, Postcode] = {}
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                code = normalize_postcode(row[code_at])
                latitude = _coordinate(row[lat_at], 90)
                longitude = _coordinate(row[lon_at], 180)
            except (IndexError, ValueError):
                raise CommandError(
                    f"{path}, line {line}: expected a postcode and coordinates in range."
                ) from None
            if not code or len(code) > 12 or not (code.isascii() and code.isalnum()):
                raise CommandError(f"{path}, line {line}: {row[code_at]!r} is not a postcode.")
            rows[code] = Postcode(code=code, latitude=latitude, longitude=longitude)
        return list(rows.values())
