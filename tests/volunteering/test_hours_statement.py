"""The statement's code, fingerprint and PDF, apart from the database."""

import io

import pypdf
import pytest

from volunteering.hours.pdf import render_statement_pdf
from volunteering.hours.statement import (
    CODE_LENGTH,
    content_hash,
    display_code,
    fingerprint,
    hours_text,
    new_code,
    normalize_code,
)

CONTENT = {
    "version": 1,
    "volunteer": "Zoë Adeyemi",
    "organization": "Riverside Food Bank",
    "period": {"from": "2026-01-01", "to": "2026-06-30"},
    "projects": [
        {
            "title": "Saturday food bank",
            "first_date": "2026-01-04",
            "last_date": "2026-05-30",
            "minutes": 750,
            "verified_by": ["Sam Okafor"],
        }
    ],
    "total_minutes": 750,
    "issued_on": "2026-07-01",
}


def test_codes_are_random_and_unguessable_in_length():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH for code in codes)


def test_a_typed_code_forgives_case_dashes_and_look_alike_letters():
    code = "AB0D1FGHJKMNPQRS"
    assert normalize_code(display_code(code).lower()) == code
    assert normalize_code(" abod-ifgh jkmn-pqrs ") == code
    assert normalize_code("ab0d-lfgh-jkmn-pqrs") == code


@pytest.mark.parametrize("text", ["", "ABC", "AB0D1FGHJKMNPQRS0", "AB0D1FGHJKMNPQR!", None])
def test_anything_else_is_not_a_code(text):
    assert normalize_code(text) is None


def test_the_hash_changes_with_the_hours_or_the_code():
    code = new_code()
    digest = content_hash(code=code, content=CONTENT)
    more = {**CONTENT, "total_minutes": 751}
    assert content_hash(code=code, content=more) != digest
    assert content_hash(code=new_code(), content=CONTENT) != digest
    assert content_hash(code=code, content=dict(reversed(CONTENT.items()))) == digest


def test_hours_have_two_decimals_rounded_half_up():
    assert hours_text(750) == "12.50"
    assert hours_text(20) == "0.33"
    assert hours_text(1) == "0.02"
    assert hours_text(-90) == "-1.50"


def test_the_pdf_says_who_what_when_how_much_and_how_to_check():
    code = new_code()
    digest = content_hash(code=code, content=CONTENT)
    url = f"https://connect.example/volunteer/statements/{code}/"
    data = render_statement_pdf(content=CONTENT, code=code, digest=digest, verify_url=url)
    assert data.startswith(b"%PDF")
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    for expected in (
        "Zoë Adeyemi",
        "Riverside Food Bank",
        "Saturday food bank",
        "4 January 2026 to 30 May 2026",
        "12.50",
        "Sam Okafor",
        url,
        display_code(code),
        fingerprint(digest),
    ):
        assert expected in text


def test_the_pdf_is_the_same_for_the_same_statement():
    code = new_code()
    digest = content_hash(code=code, content=CONTENT)
    first = render_statement_pdf(content=CONTENT, code=code, digest=digest, verify_url="https://x/")
    again = render_statement_pdf(content=CONTENT, code=code, digest=digest, verify_url="https://x/")
    assert first == again


def test_markup_in_names_is_printed_as_text():
    content = {**CONTENT, "volunteer": "<b>Al & Bo</b>"}
    code = new_code()
    digest = content_hash(code=code, content=content)
    data = render_statement_pdf(content=content, code=code, digest=digest, verify_url="https://x/")
    assert "<b>Al & Bo</b>" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
