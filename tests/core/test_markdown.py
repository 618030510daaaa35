import pytest

from core.markdown import render_markdown


def test_markdown_keeps_formatting_and_strips_scripts():
    html = render_markdown("**Welcome** <script>alert(1)</script> [site](javascript:alert(1))")
    assert "<strong>Welcome</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_markdown_links_get_safe_rel():
    html = render_markdown("[choir](https://example.org/choir)")
    assert 'href="https://example.org/choir"' in html
    assert "noopener" in html


def test_markdown_text_drops_formatting_and_markup():
    from core.markdown import markdown_to_text

    text = markdown_to_text("### What to expect\n\nA **no-audition** choir <b>&amp; friends</b>")
    assert "###" not in text
    assert "**" not in text
    assert "<b>" not in text
    assert "no-audition choir & friends" in text


def test_group_directory_shows_plain_excerpts(client, db):
    from tests.factories import GroupFactory

    GroupFactory(description="A **no-audition** choir <script>x</script>")
    body = client.get("/groups/").content.decode()
    assert "A no-audition choir" in body
    assert "**no-audition**" not in body
    assert "<script>x" not in body


def test_a_text_rendered_again_is_the_same_and_an_edited_one_is_rendered_anew():
    first = render_markdown("A **walk** by the canal")
    assert render_markdown("A **walk** by the canal") == first
    assert "<strong>walk</strong>" in first
    edited = render_markdown("A **swim** in the canal <script>x</script>")
    assert "<strong>swim</strong>" in edited
    assert "walk" not in edited
    assert "<script" not in edited
    assert render_markdown("") == render_markdown(None) == ""


def test_a_converter_used_again_gives_what_a_new_one_gives_and_forgets_the_last_text():
    import markdown as markdown_lib

    from core.markdown import _to_html

    texts = [
        "[home]: https://example.org/home\n\nSee [the hall][home].",
        "See [the hall][home].",  # the reference above must not carry over
        "1. one\n2. two\n\n* a\n* b",
        "<div>raw</div>\n\nA *walk*",
        "",
    ]
    for text in texts:
        assert _to_html(text) == markdown_lib.markdown(text, extensions=["sane_lists"]), text
    assert "href" not in _to_html("See [the hall][home].")


def test_an_excerpt_is_the_words_truncatewords_gives_and_follows_an_edit():
    from django.template.defaultfilters import truncatewords

    from core import markdown as module

    text = "A **no-audition** choir. " + " ".join(f"word{i}" for i in range(40))
    expected = truncatewords(module.markdown_to_text(text), 30)
    assert module.markdown_excerpt(text, 30) == expected
    assert module.markdown_excerpt(text, 30) == expected  # kept
    assert module.markdown_excerpt(text, 5) == "A no-audition choir. word0 word1 …"
    assert module.markdown_excerpt(text + " more", 30) == expected  # same first 30 words
    assert module.markdown_excerpt("A *park* walk", 30) == "A park walk"
    assert module.markdown_excerpt("A *park* run", 30) == "A park run"


def test_excerpts_kept_are_bounded(monkeypatch):
    from core import markdown as module

    monkeypatch.setattr(module, "EXCERPTS_KEPT", 3)
    monkeypatch.setattr(module, "_excerpts", module.OrderedDict())
    for i in range(10):
        assert module.markdown_excerpt(f"Group {i}", 30) == f"Group {i}"
    assert len(module._excerpts) == 3
    calls = []
    monkeypatch.setattr(module, "markdown_to_text", lambda text: calls.append(text) or text)
    assert module.markdown_excerpt("Group 9", 30) == "Group 9"  # kept: not converted again
    assert module.markdown_excerpt("Group 0", 30) == "Group 0"  # let go: converted again
    assert calls == ["Group 0"]


def test_a_text_that_breaks_the_converter_does_not_break_the_next_ones():
    import markdown as markdown_lib

    from core.markdown import _to_html

    with pytest.raises(RecursionError):
        _to_html("1. " * 600 + "a")
    text = "After **bold**\n\n[x](https://example.org)"
    assert _to_html(text) == markdown_lib.markdown(text, extensions=["sane_lists"])
