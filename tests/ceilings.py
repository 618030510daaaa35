"""The issue's ceilings for every page, shared by the tests that pin them: at most 4 queries for a
visitor and 6 for a signed-in member, the same for 1, 10 and 100 rows."""

SIZES = [1, 10, 100]
VISITOR_MAX = 4
MEMBER_MAX = 6
