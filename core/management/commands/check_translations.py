"""Keep the translations complete: update the catalogues from the code, then list every entry
that is untranslated or fuzzy, and every compiled catalogue (.mo) that no longer matches its .po.

    .venv/bin/python manage.py check_translations            # update, list, exit 1 on problems
    .venv/bin/python manage.py check_translations --compile  # the same, then write the .mo files

CI runs it (`bin/check-translations`); docs/translations.md says how to add and translate a
string. Needs GNU gettext (msgmerge, msgfmt): `apt-get install gettext`.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Not the site's own strings: the virtualenv, run-time files, tests, benchmarks, collected static
# files and third-party scripts.
IGNORE = [
    ".venv",
    "venv",
    "var",
    "tests",
    "bench",
    "staticfiles",
    "node_modules",
    "locale",
    "vendor",
    "*.min.js",
]
DOMAINS = ("django", "djangojs")
CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


@dataclass
class Entry:
    line: int
    msgid: str
    fuzzy: bool
    translations: list[str]


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def po_entries(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` ones left out), header included as msgid ""."""
    entries: list[Entry] = []
    current: dict | None = None
    field = None

    def finish():
        if current is not None and "msgid" in current:
            entries.append(
                Entry(
                    line=current["line"],
                    msgid=current["msgid"],
                    fuzzy=current["fuzzy"],
                    translations=current["msgstr"],
                )
            )

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            current, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = {"line": number, "fuzzy": False, "msgstr": []}
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
            current["fuzzy"] = current["fuzzy"] or "fuzzy" in flags
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid_plural ")):
            field = None
        elif line.startswith("msgid "):
            current["line"] = number
            current["msgid"] = _unquote(line[6:])
            field = "msgid"
        elif line.startswith("msgstr"):
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgid":
                current["msgid"] += _unquote(line)
            elif field == "msgstr":
                current["msgstr"][-1] += _unquote(line)
    finish()
    return entries


def shown(path: Path, base: Path) -> str:
    """A path as the project's own (relative), or whole when it is elsewhere."""
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def catalogue(mo: Path) -> tuple[dict, str]:
    """A compiled catalogue's messages (the header left out) and its plural rule."""
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    messages = {key: value for key, value in translations._catalog.items() if key != ""}
    return messages, translations._info.get("plural-forms", "")


class Command(BaseCommand):
    help = (
        "Update the translation catalogues (makemessages) and fail on untranslated or fuzzy "
        "entries or a compiled .mo that does not match its .po."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--compile", action="store_true", help="Write the .mo files (compilemessages) first."
        )
        parser.add_argument(
            "--no-update", action="store_true", help="Check the .po files as they are."
        )

    def handle(self, *args, compile=False, no_update=False, **options):
        for tool in ("msgmerge", "msgfmt", "xgettext"):
            if shutil.which(tool) is None:
                raise CommandError(
                    f"{tool} not found: install GNU gettext (apt-get install gettext)."
                )
        base = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0])
        languages = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        if not no_update:
            self._update(base, locale_dir, languages)
        if compile:
            call_command("compilemessages", locale=languages, verbosity=0)
        problems: list[str] = []
        for language in languages:
            for domain in DOMAINS:
                po = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
                if po.exists():
                    problems.extend(self._check(base, po))
                elif domain == "django":
                    problems.append(f"{shown(po, base)}: missing")
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Translations complete: {', '.join(languages)}."))

    def _update(self, base: Path, locale_dir: Path, languages: list[str]) -> None:
        """makemessages for every language, keeping a file whose only change would be the
        POT-Creation-Date as it was (no noise in `git status`)."""
        before = {
            po: po.read_text(encoding="utf-8") for po in locale_dir.glob("*/LC_MESSAGES/*.po")
        }
        options = {
            "locale": languages,
            "ignore_patterns": IGNORE,
            "no_obsolete": True,
            "add_location": "file",
            "verbosity": 0,
        }
        call_command("makemessages", domain="django", **options)
        has_js = any(
            path
            for path in base.glob("static/**/*.js")
            if not any(part in IGNORE for part in path.parts) and not path.name.endswith(".min.js")
        )
        if has_js:
            call_command("makemessages", domain="djangojs", **options)
        for po, text in before.items():
            if po.exists():
                now = po.read_text(encoding="utf-8")
                if now != text and CREATION_DATE.sub("", now) == CREATION_DATE.sub("", text):
                    po.write_text(text, encoding="utf-8")

    def _check(self, base: Path, po: Path) -> list[str]:
        name = shown(po, base)
        problems = []
        for entry in po_entries(po):
            text = entry.msgid.replace("\n", "\\n")
            if len(text) > 70:
                text = text[:67] + "..."
            if entry.fuzzy:
                problems.append(f"{name}:{entry.line}: fuzzy: {text or '(header)'}")
            elif entry.msgid and not all(entry.translations):
                problems.append(f"{name}:{entry.line}: untranslated: {text}")
        mo = po.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{shown(mo, base)}: missing (run with --compile)")
            return problems
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / "fresh.mo"
            result = subprocess.run(  # noqa: S603 - a fixed tool on our own file
                ["msgfmt", "--check-format", "-o", str(fresh), str(po)],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                for line in result.stderr.strip().splitlines():
                    problems.append(f"{name}: msgfmt: {line}")
                return problems
            if catalogue(fresh) != catalogue(mo):
                problems.append(
                    f"{shown(mo, base)}: out of date with {po.name} (run with --compile)"
                )
        return problems
