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
