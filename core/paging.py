"""Pages without counting: a list page costs what it shows, not how many rows there are.

`page_of(queryset, number, per_page)` reads one row more than the page holds, to know whether
there is a next page; there is no total (the pagination shows "Page n" with previous and next
links). Only an empty page past the first counts the rows, to find the last page (a stale link),
and that is rare.
"""

from dataclasses import dataclass, field

# No list is this long: a page number above it is out of range (and would overflow the
# database's offset, a 500 on SQLite and PostgreSQL).
MAX_PAGE = 100_000


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    per_page: int
    paginator: None = field(default=None)  # no count: templates show no total

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_PAGE else None


def page_of(queryset, number, per_page: int) -> Page | None:
    """Page `number` (1-based) of `queryset`, or None when there is no such page (not a
    number, below 1, above MAX_PAGE, or past the last page)."""
    number = _number(number or 1)
    if number is None:
        return None
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        return None
    return Page(
        object_list=rows[:per_page],
        number=number,
        has_next=len(rows) > per_page,
        per_page=per_page,
    )


def nearest_page_of(queryset, number, per_page: int) -> Page:
    """As Paginator.get_page: what is not a number shows the first page, a number out of range
    the last (so does one above MAX_PAGE)."""
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        wanted = 1
    page = page_of(queryset, wanted, per_page) if 1 <= wanted <= MAX_PAGE else None
    if page is None:
        last = max((queryset.count() - 1) // per_page + 1, 1)
        page = page_of(queryset, last, per_page)
    return page
