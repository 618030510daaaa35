"""Pages without counting: a list page costs what it shows, not how many rows there are.

`page_of(queryset, number, per_page)` reads one row more than the page holds, to know whether
there is a next page; there is no total (the pagination shows "Page n" with previous and next
links). Only an empty page past the first counts the rows, to find the last page (a stale link),
and that count stops at the deepest page.

A page is read past everything ahead of it (an offset), so what a page costs grows with its
number. The site's searchable lists (events, groups, volunteering) go BROWSE_ROWS rows deep,
no further (`deepest`, `browse_depth(per_page)` pages): their deepest page has no "next" link
and says that there is more (`more_beyond`) and that a narrower search finds it. Other lists
(members, one's own) are read from an index in their order and go as deep as they are long.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

# No list is this long: a page number above it is out of range (and would overflow the
# database's offset, a 500 on SQLite and PostgreSQL).
MAX_PAGE = 100_000
# How deep the searchable lists go, in rows (fifty pages at twenty a page), so no request reads
# further into a search than that, whatever page size it asks for (page 99999 of the event
# search read every match, about a second at 100k events).
BROWSE_ROWS = 1000


def browse_depth(per_page: int) -> int:
    """The deepest page of a searchable list shown `per_page` rows a page."""
    return max(BROWSE_ROWS // per_page, 1)


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    per_page: int
    paginator: None = field(default=None)  # no count: templates show no total
    more_beyond: bool = False  # the deepest page, and the list goes on

    @classmethod
    def of_rows(cls, rows: list, number: int, per_page: int, deepest: int = MAX_PAGE) -> "Page":
        """The page `number` from `rows`, read with one more than the page holds."""
        more = len(rows) > per_page
        return cls(
            object_list=rows[:per_page],
            number=number,
            has_next=more and number < deepest,
            per_page=per_page,
            more_beyond=more and number >= deepest,
        )

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


def _number(value, deepest: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= deepest else None


def page_of(queryset, number, per_page: int, deepest: int = MAX_PAGE) -> Page | None:
    """Page `number` (1-based) of `queryset`, or None when there is no such page (not a
    number, below 1, above `deepest`, or past the last page)."""
    number = _number(number or 1, deepest)
    if number is None:
        return None
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        return None
    return Page.of_rows(rows, number, per_page, deepest)


def nearest_page_of(queryset, number, per_page: int, deepest: int = MAX_PAGE) -> Page:
    """As Paginator.get_page: what is not a number shows the first page, a number out of range
    the last (so does one above `deepest`, which is then the last page the count looks for)."""
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        wanted = 1
    page = page_of(queryset, wanted, per_page, deepest) if 1 <= wanted <= deepest else None
    if page is None:
        counted = _count(queryset, up_to=deepest * per_page if deepest < MAX_PAGE else None)
        last = max((counted - 1) // per_page + 1, 1)
        page = page_of(queryset, last, per_page, deepest)
    return page


def _count(queryset, *, up_to: int | None) -> int:
    """How many rows `queryset` has, counting no further than `up_to` (a searchable list's
    depth; None: all of them)."""
    if not isinstance(queryset, QuerySet):  # volunteering's projects by next shift
        return queryset.count() if up_to is None else queryset.count_up_to(up_to)
    if up_to is None:
        return queryset.count()
    # Unordered: which rows fall within the limit does not change how many there are.
    return queryset.order_by()[:up_to].count()
