"""Script payloads in a note's title, body, tags, checklist and attributes come out as text on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markup.templatetags.markdown import render_markdown
from notes.models import ChecklistItem
from tests.factories import NoteFactory
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
JAVASCRIPT_LINKS = (
    "[click](javascript:alert(1)) [shout](JaVaScRiPt:alert(2)) <javascript:alert(3)> "
    "[spaced]( javascript:alert(4) ) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==) "
    "![pic](javascript:alert(6)) [ref][r]\n\n[r]: javascript:alert(7)\n"
)


def assert_inert(content: bytes) -> None:
    """Assert that no payload survives as markup: no script tag, no injected image, no javascript: link."""
    text = content.decode().lower()
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert "onerror=alert(1)>" not in text.replace("&gt;", "")  # only ever inside escaped text
    for attribute in ('href="javascript:', "href='javascript:", 'src="javascript:', 'href="data:'):
        assert attribute not in text


@pytest.fixture
def hostile_note(alice):
    return NoteFactory(
        owner_id=alice.pk,
        public=True,
        title=f"{SCRIPT}{IMAGE}",
        body=f"{SCRIPT}\n\n{IMAGE}\n\n{JAVASCRIPT_LINKS}",
        tags=["safe-tag"],
        checklist=[ChecklistItem(text=f"{SCRIPT}{IMAGE}", done=False)],
        attributes={SCRIPT: IMAGE, IMAGE: SCRIPT, "items": SCRIPT},
    )


def test_payloads_are_escaped_on_the_owners_pages(alice_client, hostile_note):
    urls = [
        reverse("notes:list"),
        reverse("notes:detail", args=[hostile_note.pk]),
        reverse("notes:edit", args=[hostile_note.pk]),
        reverse("notes:delete", args=[hostile_note.pk]),
    ]
    for url in urls:
        response = alice_client.get(url)

        assert response.status_code == 200, url
        assert ESCAPED_SCRIPT in response.content.decode(), url
        assert_inert(response.content)


def test_payloads_are_escaped_for_visitors_of_public_pages(client, hostile_note):
    for url in (reverse("notes:public"), reverse("notes:detail", args=[hostile_note.pk])):
        response = client.get(url)

        assert response.status_code == 200
        assert ESCAPED_SCRIPT in response.content.decode()
        assert_inert(response.content)


def test_payloads_are_escaped_in_the_admin(staff_client, hostile_note):
    for url in (
        reverse("admin:notes_note_changelist"),
        reverse("admin:notes_note_change", args=[hostile_note.pk]),
        reverse("admin:notes_note_delete", args=[hostile_note.pk]),
    ):
        response = staff_client.get(url)

        assert response.status_code == 200, url
        assert ESCAPED_SCRIPT in response.content.decode(), url
        assert_inert(response.content)


def test_every_attribute_and_checklist_item_is_shown_escaped_on_the_note_page(alice_client, hostile_note):
    content = alice_client.get(reverse("notes:detail", args=[hostile_note.pk])).content.decode()

    assert '<th scope="row">items</th>' in content  # an attribute named "items" does not hide the others
    assert '<th scope="row">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</th>' in content
    assert f'<th scope="row">{ESCAPED_SCRIPT}</th>' in content


def test_search_and_tag_filters_are_echoed_escaped(alice_client, client):
    for visitor, name in ((alice_client, "notes:list"), (client, "notes:public")):
        response = visitor.get(reverse(name), {"q": SCRIPT, "tag": IMAGE})

        assert response.status_code == 200
        assert ESCAPED_SCRIPT in response.content.decode()
        assert_inert(response.content)


def test_a_hostile_tag_is_refused_and_echoed_escaped(alice_client, mongo_db):
    response = alice_client.post(
        reverse("notes:create"),
        editor_form(title=SCRIPT, tags=f"{SCRIPT} {IMAGE}", attributes=[{"name": f"${SCRIPT}", "value": IMAGE}]),
    )

    assert response.status_code == 200
    assert "Not a tag:" in response.content.decode()
    assert_inert(response.content)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_saved_payload_comes_back_escaped_in_the_success_message(alice_client):
    response = alice_client.post(reverse("notes:create"), editor_form(title=SCRIPT), follow=True)

    assert f"Saved “{ESCAPED_SCRIPT}”." in response.content.decode()
    assert_inert(response.content)


def test_payloads_are_inert_in_the_editors_preview_with_and_without_javascript(alice_client, mongo_db):
    body = f"{SCRIPT}\n\n{IMAGE}\n\n{JAVASCRIPT_LINKS}"
    endpoint = alice_client.post(reverse("notes:preview"), {"body": body})
    shown_again = alice_client.post(
        reverse("notes:create"), {**editor_form(title=SCRIPT, body=body), "action": "preview"}
    )

    for response in (endpoint, shown_again):
        assert response.status_code == 200
        assert ESCAPED_SCRIPT in response.content.decode()
        assert_inert(response.content)
    assert mongo_db["notes_note"].count_documents({}) == 0


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](  javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '[x](https://example.com "a\\"onmouseover=alert(1)")',
        "<a href='javascript:alert(1)'>x</a>",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_markdown_renders_no_script_links_or_raw_html(markdown):
    html = render_markdown(markdown).lower()

    for attribute in ('href="javascript:', 'href="vbscript:', 'href="data:', 'src="javascript:'):
        assert attribute not in html
    assert "<img" not in html
    assert "<a href='" not in html
    assert '"onmouseover' not in html


def test_markdown_keeps_ordinary_formatting_and_marks_links_nofollow():
    html = render_markdown("# Title\n\n*em* and [site](https://example.com)\n\n- one\n- two")

    assert "<h1>Title</h1>" in html
    assert "<em>em</em>" in html
    assert '<a href="https://example.com" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<li>one</li>" in html
