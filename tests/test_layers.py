"""The import-linter contract in pyproject.toml holds the layers of the apps: every app of the
project is in it, and the code keeps it."""

import tomllib
from pathlib import Path

from importlinter import cli  # noqa: F401 - sets import-linter up, as its command does
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layer_names() -> set[str]:
    (contract,) = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    names = set()
    for layer in contract["layers"]:
        for name in layer.replace(":", "|").split("|"):
            names.add(name.strip().strip("()"))
    return names


def test_every_app_of_the_project_is_held_by_the_contract():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(CONFIG["root_packages"])
    assert apps <= _layer_names()


def test_apps_import_only_from_the_layers_below_them():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
