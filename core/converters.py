"""URL converters shared by every app.

`<id:...>` matches a database id: digits that fit a 64-bit integer, so an absurdly long number
is an unknown page (404) instead of an overflow in the database driver (a 500 on SQLite).
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
