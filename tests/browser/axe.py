"""The one axe-core check the browser tests share: every violation, whatever its impact
(minor and moderate as well as serious and critical), as readable lines."""

from axe_playwright_python.sync_playwright import Axe


def axe_violations(page, *, third_party_rules_off: tuple[str, ...] = ()) -> list[str]:
    """Every axe-core violation on the page, whatever its impact. `third_party_rules_off` is
    only for pages whose markup is not the site's (Swagger UI); each caller says why."""
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in third_party_rules_off},
    }
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
    ]
