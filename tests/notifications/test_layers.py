"""Delivery and the services never import the tasks: tasks are the thin outer layer."""

import ast
import importlib
import inspect

import pytest


def imported_modules(module_name: str) -> set[str]:
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    found = set()
    for node in ast.walk(tree):  # function-level imports too
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize(
    "module",
    [
        "notifications.delivery",
        "notifications.services",
        "notifications.recipients",
        "notifications.selectors",
        "notifications.registry",
    ],
)
def test_module_does_not_import_the_tasks(module):
    assert "notifications.tasks" not in imported_modules(module)
