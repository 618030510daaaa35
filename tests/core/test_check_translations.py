"""`check_translations` (bin/check-translations, run in CI) fails, one line per problem, on an
untranslated or fuzzy entry and on a compiled catalogue that no longer matches its .po; the
committed Spanish catalogue passes."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.management.commands.check_translations import po_entries

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: events/views.py
msgid "My events"
msgstr "Mis eventos"

#: events/views.py
#, fuzzy, python-format
msgid "Join %(name)s"
msgstr "Únete a %(name)s"

#: groups/views.py
msgid "Leave group"
msgstr ""

#: groups/views.py
msgid "%(n)s member"
msgid_plural "%(n)s members"
msgstr[0] "%(n)s miembro"
msgstr[1] ""

#~ msgid "Old and gone"
#~ msgstr ""
"""


@pytest.fixture
def locale(tmp_path, settings):
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    return folder


def run(capsys, *args):
    try:
        call_command("check_translations", "--no-update", *args)
    except CommandError:
        return False, capsys.readouterr().out.splitlines()
    return True, capsys.readouterr().out.splitlines()


def test_the_parser_reads_every_entry_of_the_committed_catalogue():
    entries = po_entries(CATALOGUE / "django.po")
    assert entries[0].msgid == ""
    assert all(entry.translations for entry in entries)


def test_each_problem_is_one_line_and_the_command_fails(locale, capsys):
    (locale / "django.po").write_text(PO, encoding="utf-8")
    ok, lines = run(capsys)
    assert not ok
    po = str(locale / "django.po")
    assert f"{po}:12: fuzzy: Join %(name)s" in lines
    assert f"{po}:16: untranslated: Leave group" in lines
    assert f"{po}:20: untranslated: %(n)s member" in lines
    assert f"{locale / 'django.mo'}: missing (run with --compile)" in lines
    assert len(lines) == 4  # the obsolete entry is no problem


def test_a_complete_catalogue_passes_once_compiled(locale, capsys):
    complete = PO.replace("#, fuzzy, python-format", "#, python-format")
    complete = complete.replace('msgstr ""\n\n#: groups', 'msgstr "Salir del grupo"\n\n#: groups')
    complete = complete.replace('msgstr[1] ""', 'msgstr[1] "%(n)s miembros"')
    (locale / "django.po").write_text(complete, encoding="utf-8")
    ok, lines = run(capsys)
    assert not ok
    assert lines == [f"{locale / 'django.mo'}: missing (run with --compile)"]
    ok, lines = run(capsys, "--compile")
    assert ok, lines

    # a translation changed after compiling: the .mo is out of date
    changed = complete.replace('"Mis eventos"', '"Mis actividades"')
    (locale / "django.po").write_text(changed, encoding="utf-8")
    ok, lines = run(capsys)
    assert not ok
    assert lines == [f"{locale / 'django.mo'}: out of date with django.po (run with --compile)"]


def test_the_committed_spanish_catalogue_is_complete_and_compiled(tmp_path, settings, capsys):
    copy = tmp_path / "locale" / "es" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    for name in ("django.po", "django.mo"):
        shutil.copy(CATALOGUE / name, copy / name)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    ok, lines = run(capsys)
    assert ok, lines
