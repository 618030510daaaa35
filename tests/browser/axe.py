"""The one axe-core check the browser tests share: every violation, whatever its impact
(minor and moderate as well as serious and critical), as readable lines."""

from axe_playwright_python.sync_playwright import Axe


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page, whatever its impact."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
    ]
