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
