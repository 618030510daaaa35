"""The API docs page (Swagger UI from drf-spectacular-sidecar) works under the site's
Content-Security-Policy: nothing blocked in a real browser, and the operations are shown."""

import pytest

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_with_no_csp_violation(page, live_server):
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 5
    assert page.locator("#swagger-ui .swagger-ui").count() == 1
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert problems == []


# Swagger UI builds its own markup (drf-spectacular-sidecar's bundle), which the site cannot
# change without patching it: each operation's expand button sits inside a summary that is a
# button too (nested-interactive), its tag headings skip a level after the title
# (heading-order), and it puts its own <main> around the operations only, leaving the title block
# outside any landmark (region; wrapping it in another landmark breaks landmark rules instead).
# The page's own parts (language, colour contrast through static/css/swagger.css) are checked.
SWAGGER_UI_MARKUP = ("nested-interactive", "heading-order", "region")


def test_swagger_ui_has_no_accessibility_violation_of_the_sites_making(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert axe_violations(page, third_party_rules_off=SWAGGER_UI_MARKUP) == []
