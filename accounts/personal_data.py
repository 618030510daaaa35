"""Where each app declares what it holds about a person, for export and for erasure.

Apps register in their `AppConfig.ready()`, so accounts never imports the apps to its right:

    register("groups", export=export, erase=erase, check=check)

`export(user)` returns JSON-able data, `erase(user)` removes or anonymizes what the app holds
(called inside the deletion transaction), `check(user)` returns the reasons (messages shown to
the person) why the account cannot be deleted yet.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataSource:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    check: Callable[[Any], list[str]] | None = None


_sources: dict[str, PersonalDataSource] = {}


def register(
    name: str,
    *,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None],
    check: Callable[[Any], list[str]] | None = None,
) -> None:
    """Declare an app's personal data; registering the same name again replaces it."""
    _sources[name] = PersonalDataSource(name=name, export=export, erase=erase, check=check)


def sources() -> list[PersonalDataSource]:
    """Registered sources in registration order (the order of INSTALLED_APPS)."""
    return list(_sources.values())
