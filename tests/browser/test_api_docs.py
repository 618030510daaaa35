"""The API docs page (Swagger UI from drf-spectacular-sidecar) works under the site's
Content-Security-Policy: nothing blocked in a real browser, and the operations are shown."""

import pytest

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
