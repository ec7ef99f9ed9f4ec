"""The editor without JavaScript: Add item, Add attribute and the Write/Preview tabs post the form, which comes back as typed and unsaved."""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse

from notes.forms import AttributeForm, ChecklistItemForm, NoteForm, RowCountsForm
from notes.models import MAX_ATTRIBUTES, MAX_BODY_LENGTH, MAX_CHECKLIST_ITEMS, ChecklistItem
from tests.factories import NoteFactory
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

TYPED = {
    "title": "Weekend",
    "body": "Bring **boots**.",
    "tags": "hiking, outdoors",
    "visibility": "public",
    "pinned": True,
    "checklist": [{"text": "Map", "done": True}],
    "attributes": [{"name": "trail", "value": "Ridge"}],
}


@pytest.fixture
def trip(alice):
    return NoteFactory(
        owner_id=alice.pk,
        title="Trip",
        body="Plan",
        checklist=[ChecklistItem(text="Passport")],
        attributes={"city": "Oslo"},
    )


def draft(client, url, action, **fields):
    """Press one of the editor's buttons besides Save."""
    return client.post(url, {**editor_form(**{**TYPED, **fields}), "action": action})


def assert_typed_values_kept(content: str) -> None:
    assert 'name="title" value="Weekend"' in content
    assert "Bring **boots**.</textarea>" in content
    assert 'name="tags" value="hiking, outdoors"' in content
    assert 'name="visibility" value="public" id="id_visibility_1" required checked' in content
    assert 'name="pinned" id="id_pinned" checked' in content
    assert 'name="checklist-0-text" value="Map"' in content
    assert 'name="checklist-0-done" id="id_checklist-0-done" checked' in content
    assert 'name="attributes-0-name" value="trail"' in content
    assert 'name="attributes-0-value" value="Ridge"' in content


# ----------------------------------------------------------------------------- rows on demand


def test_the_editor_starts_without_blank_rows_and_offers_add_buttons(alice_client):
    content = alice_client.get(reverse("notes:create")).content.decode()

    assert 'name="checklist-TOTAL_FORMS" value="0"' in content
    assert 'name="attributes-TOTAL_FORMS" value="0"' in content
    assert 'name="checklist-0-text"' not in content
    assert 'name="action" value="add-item" formnovalidate' in content
    assert 'name="action" value="add-attribute" formnovalidate' in content
    assert 'name="checklist-__prefix__-ORDER"' in content  # the template row the script copies


def test_add_item_shows_the_form_again_with_a_blank_row_to_fill_and_saves_nothing(alice_client, mongo_db):
    response = draft(alice_client, reverse("notes:create"), "add-item")

    content = response.content.decode()
    assert response.status_code == 200
    assert_typed_values_kept(content)
    assert 'name="checklist-TOTAL_FORMS" value="2"' in content
    assert 'autofocus id="id_checklist-1-text"' in content
    assert 'name="attributes-TOTAL_FORMS" value="1"' in content
    assert "data-unsaved" in content
    assert response.context["form"].is_valid()
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_add_attribute_shows_the_form_again_with_a_blank_row_to_fill_and_saves_nothing(alice_client, mongo_db):
    response = draft(alice_client, reverse("notes:create"), "add-attribute")

    content = response.content.decode()
    assert_typed_values_kept(content)
    assert 'name="attributes-TOTAL_FORMS" value="2"' in content
    assert 'autofocus id="id_attributes-1-name"' in content
    assert 'name="checklist-TOTAL_FORMS" value="1"' in content
    assert response.context["form"].is_valid()
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_the_added_row_is_saved_with_the_note_once_filled_in(alice_client, mongo_db):
    added = draft(alice_client, reverse("notes:create"), "add-item")
    form = added.context["form"]
    data = {**form.checklist.data, "checklist-1-text": "Compass"}
    data.pop("action")

    response = alice_client.post(reverse("notes:create"), data)

    assert response.status_code == 302
    stored = mongo_db["notes_note"].find_one({"title": "Weekend"})
    assert stored["checklist"] == [{"text": "Map", "done": True}, {"text": "Compass", "done": False}]
    assert stored["attributes"] == {"trail": "Ridge"}


def test_add_item_on_an_edit_leaves_the_stored_note_as_it_was(alice_client, trip, mongo_db):
    before = mongo_db["notes_note"].find_one({"_id": trip.pk})

    response = draft(
        alice_client,
        reverse("notes:edit", args=[trip.pk]),
        "add-item",
        initial_checklist=1,
        initial_attributes=1,
        checklist=[{"text": "Passport", "DELETE": True}, {"text": "Map", "done": True}],
    )

    content = response.content.decode()
    assert 'name="checklist-TOTAL_FORMS" value="3"' in content
    assert 'name="checklist-0-DELETE" id="id_checklist-0-DELETE" checked' in content
    assert 'name="title" value="Weekend"' in content
    assert mongo_db["notes_note"].find_one({"_id": trip.pk}) == before


def test_add_item_without_a_title_yet_asks_for_none(alice_client):
    response = draft(alice_client, reverse("notes:create"), "add-item", title="")

    assert response.status_code == 200
    assert "This field is required." not in response.content.decode()


def test_add_item_at_the_checklist_limit_adds_no_row_and_says_the_limit(alice_client, mongo_db):
    items = [{"text": f"item {n}"} for n in range(MAX_CHECKLIST_ITEMS)]

    response = draft(alice_client, reverse("notes:create"), "add-item", checklist=items)

    content = response.content.decode()
    assert f'name="checklist-TOTAL_FORMS" value="{MAX_CHECKLIST_ITEMS}"' in content
    assert f'name="checklist-{MAX_CHECKLIST_ITEMS}-text"' not in content
    assert response.context["form"].non_field_errors() == ["A checklist holds at most 100 items."]
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_add_attribute_at_the_attribute_limit_adds_no_row_and_says_the_limit(alice_client):
    attributes = [{"name": f"k{n}", "value": "v"} for n in range(MAX_ATTRIBUTES)]

    response = draft(alice_client, reverse("notes:create"), "add-attribute", attributes=attributes)

    assert f'name="attributes-TOTAL_FORMS" value="{MAX_ATTRIBUTES}"' in response.content.decode()
    assert response.context["form"].non_field_errors() == ["A note holds at most 50 attributes."]


def test_a_form_shown_again_still_says_what_a_save_would_refuse(alice_client, mongo_db):
    response = draft(
        alice_client, reverse("notes:create"), "add-item", title="t" * 250, attributes=[{"name": "$set", "value": "x"}]
    )

    content = response.content.decode()
    assert "A title has at most 200 characters (this one has 250)." in content
    assert "A name may not start with $ or contain a dot." in content
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_broken_row_count_is_a_form_error_not_a_crash(alice_client):
    response = alice_client.post(
        reverse("notes:create"), {**editor_form(title="x"), "checklist-TOTAL_FORMS": "many", "action": "add-item"}
    )

    assert response.status_code == 200
    assert "Check the checklist rows below." in response.content.decode()


def test_a_form_shown_again_keeps_the_row_limits_the_row_script_reads(alice_client):
    limits = {"checklist-MIN_NUM_FORMS": "0", "checklist-MAX_NUM_FORMS": str(MAX_CHECKLIST_ITEMS)}

    response = draft(alice_client, reverse("notes:create"), "preview", **limits)

    content = response.content.decode()
    assert 'name="checklist-MIN_NUM_FORMS" value="0"' in content
    assert f'name="checklist-MAX_NUM_FORMS" value="{MAX_CHECKLIST_ITEMS}"' in content
    assert 'name="checklist-TOTAL_FORMS" value="1"' in content


def test_the_posted_row_limits_are_never_read_back(alice_client, mongo_db):
    """Only the two counts are the formset's: a limit posted as anything at all changes nothing."""
    form = editor_form(title="Limits", checklist=[{"text": "Map"}, {"text": "Boots"}])
    form |= {"checklist-MIN_NUM_FORMS": "lots", "checklist-MAX_NUM_FORMS": "1"}

    response = alice_client.post(reverse("notes:create"), form)

    assert response.status_code == 302
    assert [item["text"] for item in mongo_db["notes_note"].find_one({"title": "Limits"})["checklist"]] == [
        "Map",
        "Boots",
    ]


# ----------------------------------------------------------------------------- preview and write tabs


def test_preview_shows_the_body_rendered_and_keeps_it_to_write_on(alice_client, mongo_db):
    response = draft(alice_client, reverse("notes:create"), "preview", body="# Plan\n\nBring **boots**.")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<div id="body-preview" role="tabpanel"' in content
    assert "<h1>Plan</h1>\n<p>Bring <strong>boots</strong>.</p>" in content
    assert 'id="body-preview-tab" aria-controls="body-preview" aria-selected="true"' in content
    assert '<div id="body-write" role="tabpanel" aria-labelledby="body-write-tab" hidden>' in content
    assert "# Plan\nBring **boots**.</textarea>" not in content  # the textarea keeps the body whole
    assert "\n# Plan\n\nBring **boots**.</textarea>" in content
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_preview_of_an_empty_body_says_so(alice_client):
    response = draft(alice_client, reverse("notes:create"), "preview", body="  ")

    assert "Nothing to preview." in response.content.decode()


def test_write_goes_back_to_the_body_without_a_preview(alice_client, mongo_db):
    response = draft(alice_client, reverse("notes:create"), "write")

    content = response.content.decode()
    assert 'id="body-write-tab" aria-controls="body-write" aria-selected="true"' in content
    assert '<div id="body-write" role="tabpanel" aria-labelledby="body-write-tab">' in content
    assert "<strong>boots</strong>" not in content
    assert_typed_values_kept(content)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_preview_of_a_body_over_the_limit_shows_the_body_and_its_error(alice_client):
    response = draft(alice_client, reverse("notes:create"), "preview", body="b" * (MAX_BODY_LENGTH + 1))

    content = response.content.decode()
    assert "Ensure this value has at most 100000 characters (it has 100001)." in content
    assert '<div id="body-write" role="tabpanel" aria-labelledby="body-write-tab">' in content


def test_preview_on_an_edit_leaves_the_stored_note_as_it_was(alice_client, trip, mongo_db):
    before = mongo_db["notes_note"].find_one({"_id": trip.pk})

    response = draft(alice_client, reverse("notes:edit", args=[trip.pk]), "preview", initial_checklist=1)

    assert "<strong>boots</strong>" in response.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": trip.pk}) == before


def test_another_member_cannot_preview_through_someone_elses_editor(bob_client, trip):
    assert draft(bob_client, reverse("notes:edit", args=[trip.pk]), "preview").status_code == 404


def test_an_unknown_action_is_a_bad_request_and_saves_nothing(alice_client, mongo_db):
    response = draft(alice_client, reverse("notes:create"), "publish")

    assert response.status_code == 400
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_enter_in_a_field_saves_as_the_forms_first_button_is_a_hidden_save(alice_client):
    form = alice_client.get(reverse("notes:create")).content.decode().split('class="note-editor"', 1)[1]

    assert form.split("<button", 2)[1].startswith(' type="submit" hidden tabindex="-1">Save</button>')


def test_only_a_form_shown_again_is_marked_as_holding_unsaved_changes(alice_client):
    fresh = alice_client.get(reverse("notes:create")).content.decode()
    failed_save = alice_client.post(reverse("notes:create"), editor_form(title="")).content.decode()

    assert "data-unsaved" not in fresh
    assert "data-unsaved" in failed_save  # what was typed is not stored yet: leaving asks first


# ----------------------------------------------------------------------------- one editor to the next


def test_nothing_typed_or_refused_in_one_editor_reaches_the_next(alice_client):
    refused = draft(alice_client, reverse("notes:create"), "add-item", title="t" * 250).content.decode()
    fresh = alice_client.get(reverse("notes:create")).content.decode()

    assert "A title has at most 200 characters" in refused
    assert 'autofocus id="id_checklist-1-text"' in refused
    assert "t" * 250 not in fresh
    assert "A title has at most 200 characters" not in fresh
    assert "autofocus" not in fresh
    assert 'data-max-length="200"' in fresh


def test_the_editors_forms_share_their_fields_and_its_rows_keep_their_own():
    """A save builds no copy of the note's fields or the row counts' (SharedFields); an added row's focus is its own."""
    assert NoteForm().fields["title"] is NoteForm().fields["title"]
    assert RowCountsForm().fields["TOTAL_FORMS"] is RowCountsForm().fields["TOTAL_FORMS"]
    assert ChecklistItemForm().fields["text"] is not ChecklistItemForm().fields["text"]
    assert AttributeForm().fields["name"] is not AttributeForm().fields["name"]


# ----------------------------------------------------------------------------- queries


def test_a_form_shown_again_costs_what_the_editor_page_costs(alice_client, trip, django_assert_num_queries):
    edit = reverse("notes:edit", args=[trip.pk])
    alice_client.get(edit)  # the owner's name is now in Redis
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        alice_client.get(edit)
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        draft(alice_client, edit, "add-item")
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        draft(alice_client, edit, "preview")
    with django_assert_num_queries(1), django_assert_num_queries(1, connection=connections["mongodb"]):
        draft(alice_client, reverse("notes:create"), "preview")
