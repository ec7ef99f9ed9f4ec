"""A card's preview: the body rendered by the notes' Markdown rules, as plain text, cut short."""

from __future__ import annotations

from markup.markdown import PREVIEW_LENGTH, PREVIEW_SOURCE_LENGTH, markdown_preview


def test_markdown_marks_headings_and_fences_leave_the_preview():
    assert markdown_preview("# Trip plan **Lisbon**\n\n```python\nx = 1\n```") == "Trip plan Lisbon x = 1"


def test_html_written_in_the_body_stays_text_and_entities_are_read():
    assert markdown_preview("<script>alert(1)</script> & café") == "<script>alert(1)</script> & café"


def test_a_long_body_is_cut_with_an_ellipsis():
    preview = markdown_preview("word " * 1000)

    assert len(preview) == PREVIEW_LENGTH
    assert preview.endswith("…")


def test_a_huge_body_renders_only_its_start():
    preview = markdown_preview("a" * 150 + "\n\n" + "*" * (PREVIEW_SOURCE_LENGTH * 50))

    assert preview.startswith("a" * 150)
    assert preview.endswith("…")


def test_an_empty_body_has_no_preview():
    assert markdown_preview("") == ""


def test_a_kept_preview_still_says_whether_the_body_goes_on_past_what_was_rendered():
    whole = "a" + " " * (PREVIEW_SOURCE_LENGTH - 1)

    assert markdown_preview(whole) == "a"
    assert markdown_preview(whole + "more") == "a…"
    assert markdown_preview(whole) == "a"
