"""Server-drawn bar charts for the dashboard: the geometry of an accessible SVG (a title, a
description, every bar labelled with its number, so colour says nothing on its own) and the
same rows for the table beside it."""

from __future__ import annotations

from dataclasses import dataclass

BAR_AREA = 200  # px for the longest bar
ROW_HEIGHT = 26
LABEL_WIDTH = 130


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + 15

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    columns: tuple[str, str]
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_AREA + 60

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(*, key, title, description, columns, rows) -> Chart:
    """`rows` as (label, value, text): bars scaled to the largest value."""
    largest = max((value for _label, value, _text in rows), default=0) or 1
    bars = [
        Bar(
            label=str(label),
            value=value,
            text=str(text),
            y=index * ROW_HEIGHT,
            width=round(BAR_AREA * value / largest),
        )
        for index, (label, value, text) in enumerate(rows)
    ]
    return Chart(
        key=key,
        title=str(title),
        description=str(description),
        columns=(str(columns[0]), str(columns[1])),
        bars=bars,
    )
