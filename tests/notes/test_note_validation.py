"""What the note editor and the note services refuse, and how tags are normalised."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notes.forms import parse_tags
from notes.models import ChecklistItem, Note
from notes.services import note_create, note_update
from tests.factories import NoteFactory
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def post_new(client, **fields):
    return client.post(reverse("notes:create"), editor_form(**fields))


def errors_of(response) -> str:
    """All the error text the re-rendered editor shows."""
    form = response.context["form"]
    texts = [*form.non_field_errors(), *(e for errors in form.errors.values() for e in errors)]
    for formset in (form.checklist, form.attributes):
        texts += [*formset.non_form_errors(), *(e for row in formset.errors for errors in row.values() for e in errors)]
    return " | ".join(str(text) for text in texts)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Work, HOME  urgent,work", ["work", "home", "urgent"]),
        (" a,,b , c ", ["a", "b", "c"]),
        ("", []),
        ("x-1 y_2", ["x-1", "y_2"]),
    ],
)
def test_tags_are_split_on_commas_and_spaces_and_lowercased(text, tags):
    assert parse_tags(text) == tags


def test_twenty_tags_are_accepted(alice_client, mongo_db):
    tags = " ".join(f"t{n}" for n in range(20))

    assert post_new(alice_client, title="Many", tags=tags).status_code == 302
    assert len(mongo_db["notes_note"].find_one({"title": "Many"})["tags"]) == 20


def test_more_than_twenty_tags_is_a_form_error(alice_client, mongo_db):
    response = post_new(alice_client, title="Too many", tags=" ".join(f"t{n}" for n in range(21)))

    assert response.status_code == 200
    assert "At most 20 tags (you gave 21)." in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


@pytest.mark.parametrize("tag", ["hello!", "dot.ted", "café", "<b>"])
def test_a_tag_that_is_not_a_slug_is_a_form_error(alice_client, tag, mongo_db):
    response = post_new(alice_client, tags=f"fine {tag}")

    assert response.status_code == 200
    assert f"Not a tag: {tag}." in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


@pytest.mark.parametrize("name", ["$set", "a.b", "$"])
def test_attribute_names_with_dollar_prefix_or_dot_are_form_errors(alice_client, name, mongo_db):
    response = post_new(alice_client, attributes=[{"name": name, "value": "x"}])

    assert response.status_code == 200
    assert "A name may not start with $ or contain a dot." in errors_of(response)
    assert "Give this value a name." not in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_an_attribute_name_used_twice_is_a_form_error(alice_client):
    response = post_new(alice_client, attributes=[{"name": "k", "value": "1"}, {"name": "k", "value": "2"}])

    assert "Each attribute name may appear only once." in errors_of(response)


def test_an_attribute_value_without_a_name_is_a_form_error(alice_client):
    response = post_new(alice_client, attributes=[{"name": "", "value": "orphaned value"}])

    assert "Give this value a name." in errors_of(response)


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_title_is_a_form_error(alice_client, title, mongo_db):
    response = post_new(alice_client, title=title)

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_pasted_250_character_title_is_kept_whole_and_refused_with_a_form_error(alice_client, mongo_db):
    response = post_new(alice_client, title="t" * 250)

    assert "A title has at most 200 characters (this one has 250)." in errors_of(response)
    assert f'value="{"t" * 250}"' in response.content.decode()  # given back whole, to shorten
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_the_title_input_shows_its_limit_instead_of_cutting_silently(alice_client):
    content = alice_client.get(reverse("notes:create")).content.decode()

    assert 'data-max-length="200"' in content
    assert "maxlength" not in content.split('name="title"')[1].split(">")[0]
    assert "Up to 200 characters." in content


def test_a_checklist_of_101_items_says_the_checklist_limit(alice_client, mongo_db):
    response = post_new(alice_client, checklist=[{"text": f"item {n}"} for n in range(101)])

    assert response.context["form"].checklist.non_form_errors() == ["A checklist holds at most 100 items."]
    assert "Please submit" not in response.content.decode()
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_51_attributes_say_the_attribute_limit(alice_client):
    response = post_new(alice_client, attributes=[{"name": f"k{n}", "value": "v"} for n in range(51)])

    assert response.context["form"].attributes.non_form_errors() == ["A note holds at most 50 attributes."]


def test_the_editor_says_the_limits_and_how_tags_split_before_saving(alice_client):
    content = alice_client.get(reverse("notes:create")).content.decode()

    assert "A checklist holds at most 100 items." in content
    assert "At most 50 attributes." in content
    assert "“road trip” is two tags, #road and #trip: write road-trip for one" in content
    assert "café is refused: write cafe" in content


def test_a_tag_with_an_accent_is_refused_with_the_reason(alice_client):
    response = post_new(alice_client, tags="café")

    assert "Not a tag: café. Tags use letters a–z without accents, digits, - and _." in errors_of(response)


def test_a_body_of_100000_characters_is_accepted(alice_client, mongo_db):
    assert post_new(alice_client, title="Long", body="b" * 100_000).status_code == 302
    assert len(mongo_db["notes_note"].find_one({"title": "Long"})["body"]) == 100_000


def test_an_oversized_body_is_a_form_error(alice_client, mongo_db):
    response = post_new(alice_client, body="b" * 100_001)

    assert "Ensure this value has at most 100000 characters (it has 100001)." in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_checklist_item_over_500_characters_is_a_form_error(alice_client, mongo_db):
    response = post_new(alice_client, checklist=[{"text": "ok"}, {"text": "c" * 501}])

    assert "Ensure this value has at most 500 characters (it has 501)." in errors_of(response)
    assert "Check the checklist rows below." in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_post_without_the_row_formsets_is_a_form_error_not_a_500(alice_client, mongo_db):
    response = alice_client.post(reverse("notes:create"), {"title": "Bare", "visibility": "private"})

    assert response.status_code == 200
    assert "Check the checklist rows below." in errors_of(response)
    assert mongo_db["notes_note"].count_documents({}) == 0


def test_a_refused_edit_keeps_what_was_typed_and_changes_nothing(alice_client, alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="Kept")

    response = alice_client.post(
        reverse("notes:edit", args=[note.pk]), editor_form(title="Draft title", tags="bad!tag")
    )

    assert response.status_code == 200
    assert 'value="Draft title"' in response.content.decode()
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["title"] == "Kept"


# ----------------------------------------------------------------------------- services


def test_note_create_refuses_more_than_twenty_tags(alice):
    with pytest.raises(ValidationError) as refused:
        note_create(owner_id=alice.pk, title="Tags", tags=[f"t{n}" for n in range(21)])

    assert "tags" in refused.value.message_dict
    assert Note.objects.count() == 0


def test_note_create_refuses_uppercase_and_non_slug_tags(alice):
    for tags in (["Work"], ["two words"]):
        with pytest.raises(ValidationError):
            note_create(owner_id=alice.pk, title="Tags", tags=tags)


@pytest.mark.parametrize("attributes", [{"$where": "x"}, {"a.b": "x"}, {"": "x"}, {"n": 1}, {"n": "v" * 1001}])
def test_note_create_refuses_bad_attributes(alice, attributes):
    with pytest.raises(ValidationError) as refused:
        note_create(owner_id=alice.pk, title="Attributes", attributes=attributes)

    assert "attributes" in refused.value.message_dict


def test_note_create_refuses_an_oversized_body_and_an_empty_title(alice):
    with pytest.raises(ValidationError) as refused:
        note_create(owner_id=alice.pk, title="", body="b" * 100_001)

    assert {"title", "body"} <= refused.value.message_dict.keys()


def test_note_update_refuses_a_checklist_item_over_500_characters(alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk)

    with pytest.raises(ValidationError) as refused:
        note_update(
            note=note,
            title=note.title,
            body=note.body,
            visibility="private",
            pinned=False,
            tags=[],
            checklist=[ChecklistItem(text="c" * 501)],
            attributes={},
        )

    assert refused.value.message_dict["checklist"] == [
        "Checklist item 1: Ensure this value has at most 500 characters (it has 501)."
    ]
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["checklist"] == []
