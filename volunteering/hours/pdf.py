"""The printable hours statement, drawn with ReportLab from a statement's fixed content.

The PDF says only what the content says, plus how to check it: the verification address, its
code and the content's fingerprint, with a QR code of the address. Fonts are ReportLab's bundled
Bitstream Vera (embedded), so names outside Latin-1's core show as letters, not boxes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from volunteering.hours.statement import display_code, fingerprint, hours_text

_FONT, _BOLD = "ConnectVera", "ConnectVera-Bold"


def _register_fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, str(folder / "VeraBd.ttf")))


def _date(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    scale = [size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    drawing = Drawing(size, size, transform=scale)
    drawing.add(widget)
    return drawing


def render_statement_pdf(*, content: dict, code: str, digest: str, verify_url: str) -> bytes:
    """The statement as PDF bytes (A4)."""
    _register_fonts()
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontName=_FONT, fontSize=10, leading=14)
    title = ParagraphStyle("title", parent=sheet["Title"], fontName=_BOLD, fontSize=18)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11, textColor=colors.grey)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12)
    head = ParagraphStyle("head", parent=cell, fontName=_BOLD)

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    period = content["period"]
    story = [
        para("Statement of volunteer hours", title),
        para(
            f"This states that {content['volunteer']} gave the volunteer hours below to "
            f"{content['organization']} between {_date(period['from'])} and "
            f"{_date(period['to'])}. Only hours verified by the organization's coordinators "
            "are counted."
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [[para(h, head) for h in ("Project", "Dates", "Verified hours", "Verified by")]]
    for project in content["projects"]:
        dates = _date(project["first_date"])
        if project["last_date"] != project["first_date"]:
            dates += f" to {_date(project['last_date'])}"
        rows.append(
            [
                para(project["title"], cell),
                para(dates, cell),
                para(hours_text(project["minutes"]), cell),
                para(", ".join(project["verified_by"]), cell),
            ]
        )
    rows.append(
        [para("Total", head), para("", cell), para(hours_text(content["total_minutes"]), head), ""]
    )
    table = Table(rows, colWidths=[55 * mm, 50 * mm, 28 * mm, 37 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        para(f"Issued on {_date(content['issued_on'])} by Connect for {content['organization']}."),
        Spacer(1, 8 * mm),
        para("Check this statement", head),
        para(
            "Anyone can check that this statement is genuine and unchanged, without an account: "
            "open the address below (or scan the code) and compare what it shows with this page."
        ),
        Table(
            [
                [
                    [
                        para(f"Address: {verify_url}", cell),
                        para(f"Verification code: {display_code(code)}", head),
                        para(f"Fingerprint: {fingerprint(digest)}", cell),
                    ],
                    _qr(verify_url, 30 * mm),
                ]
            ],
            colWidths=[135 * mm, 35 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        ),
        Spacer(1, 6 * mm),
        para(
            "The verification page shows only what this statement says. If it says anything "
            "else, or that the code is unknown, this copy is not genuine.",
            small,
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title="Statement of volunteer hours",
        author=content["organization"],
        subject=f"Verification code {display_code(code)}",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=True,
    )
    document.build(story)
    return buffer.getvalue()
