"""Values a person or a script might type into any field: every form and API field given one of
these answers with a clear error or ignores it, never a 500."""

NASTY = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "ñ🙂",
    "\x00",
    "a" * 5000,
    "2026-02-30",
    "9999-12-31T23:59",
    "0001-01-01",
    "NaN",
    "[]",
    "{'a':1}",
]
