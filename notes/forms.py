"""The note editor: one form for the note's fields, with row formsets for its checklist and attributes.

The editor works without JavaScript: besides Save, its buttons (the Write and Preview tabs, Add
item, Add attribute) post the form, which comes back as typed and unsaved, with the preview shown
or one more blank row. Each row has a Remove box and (the checklist) a position. The scripts do
the same in place: static/js/note-rows.js adds, removes and moves rows, and
static/js/note-preview.js fetches the preview from the preview endpoint (NoteBodyForm).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME, INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.http import QueryDict
from django.utils.functional import cached_property

from notes.models import (
    MAX_ATTRIBUTE_NAME_LENGTH,
    MAX_ATTRIBUTE_VALUE_LENGTH,
    MAX_ATTRIBUTES,
    MAX_BODY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TITLE_LENGTH,
    ChecklistItem,
    Note,
    validate_attribute_keys,
)

TAG_SEPARATORS = re.compile(r"[\s,]+")


class EditorAction(models.TextChoices):
    """The editor's buttons (the `action` they post): Save, or show the form again as typed and save nothing."""

    SAVE = "save", "Save"
    WRITE = "write", "Write"
    PREVIEW = "preview", "Preview"
    ADD_CHECKLIST_ITEM = "add-item", "Add item"
    ADD_ATTRIBUTE = "add-attribute", "Add attribute"


# The formset (by prefix) each Add button adds a blank row to.
ROWS_ADDED_BY = {EditorAction.ADD_CHECKLIST_ITEM: "checklist", EditorAction.ADD_ATTRIBUTE: "attributes"}


class SharedFields(dict[str, forms.Field]):
    """A form class's fields, shared by its instances: the deep copy each instance takes copies the dict only.

    Django's BaseForm.__init__ deep-copies every field for every form, so that one form may
    change its own. The forms given these never change a field (a change would reach every later
    form: change the class instead), and the copies were half the editor's form work on a save
    (issue #18).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


FormClass = TypeVar("FormClass", bound=type[forms.Form])


def sharing_fields(form_class: FormClass) -> FormClass:
    """Let the instances of `form_class` share its fields (SharedFields)."""
    form_class.base_fields = SharedFields(form_class.base_fields)
    return form_class


def parse_tags(text: str) -> list[str]:
    """Split comma- or space-separated tags into lowercase slugs, in order, without repeats."""
    tags = [tag.lower() for tag in TAG_SEPARATORS.split(text) if tag]
    return list(dict.fromkeys(tags))


class ChecklistItemForm(forms.Form):
    """One checklist row; a row left without text is dropped."""

    text = forms.CharField(
        max_length=ChecklistItem._meta.get_field("text").max_length,
        required=False,
        label="Item",
        widget=forms.TextInput(attrs={"placeholder": "Item"}),
    )
    done = forms.BooleanField(required=False, label="Done")


class AttributeForm(forms.Form):
    """One name/value row; a row left without name and value is dropped."""

    name = forms.CharField(
        max_length=MAX_ATTRIBUTE_NAME_LENGTH, required=False, widget=forms.TextInput(attrs={"placeholder": "Name"})
    )
    value = forms.CharField(
        max_length=MAX_ATTRIBUTE_VALUE_LENGTH, required=False, widget=forms.TextInput(attrs={"placeholder": "Value"})
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name.startswith("$") or "." in name:
            raise ValidationError("A name may not start with $ or contain a dot.", code="attribute_key")
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("value") and cleaned.get("name") == "":
            self.add_error("name", ValidationError("Give this value a name.", code="attribute_unnamed"))
        return cleaned


@sharing_fields
class RowCountsForm(ManagementForm):
    """A row formset's management form: how many rows were posted, and how many the note had.

    Posted, it cleans only those two counts. MIN_NUM_FORMS and MAX_NUM_FORMS are on the page for
    the row script (static/js/note-rows.js) and come back with the form, but a formset never reads
    them (Django's ManagementForm says so); cleaning them was an eighth of a save's form work
    (issue #18). Shown again, the form has all four, with the posted values.
    """

    COUNTS = (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT)

    def full_clean(self) -> None:
        shown = self.fields
        self.fields = {name: shown[name] for name in self.COUNTS}
        try:
            super().full_clean()
        finally:
            self.fields = shown


class BaseRowFormSet(forms.BaseFormSet):
    """The editor's rows of one kind, whose posted row counts a RowCountsForm reads."""

    @cached_property
    def management_form(self) -> ManagementForm:
        if not self.is_bound:
            return super().management_form
        renderer = self.renderer  # type: ignore[attr-defined] # set by BaseFormSet.__init__; the stubs leave it out
        form = RowCountsForm(self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=renderer)
        form.full_clean()
        return form


class BaseChecklistFormSet(BaseRowFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": f"A checklist holds at most {MAX_CHECKLIST_ITEMS} items.",
    }

    def checklist(self) -> list[ChecklistItem]:
        """The items the valid rows make, in their order: rows with text, not marked for removal."""
        return [
            ChecklistItem(text=row.cleaned_data["text"], done=row.cleaned_data["done"])
            for row in self.ordered_forms
            if row.cleaned_data.get("text")
        ]


class BaseAttributeFormSet(BaseRowFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": f"A note holds at most {MAX_ATTRIBUTES} attributes.",
    }

    def clean(self) -> None:
        """Refuse a name used twice: each name is one key of the note's document."""
        if any(self.errors):
            return
        names = [form.cleaned_data["name"] for form in self.kept_forms]
        if len(names) != len(set(names)):
            raise ValidationError("Each attribute name may appear only once.", code="attribute_repeated")

    @property
    def kept_forms(self) -> list[AttributeForm]:
        """The rows that become attributes: named, and not marked for removal."""
        return [
            form
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]

    def attributes(self) -> dict[str, str]:
        """The attributes the valid rows make: name to value, in their order."""
        return {row.cleaned_data["name"]: row.cleaned_data["value"] for row in self.kept_forms}


# absolute_max: a TOTAL_FORMS of a billion would otherwise build (and render) max_num + 1,000 rows.
ChecklistFormSet = forms.formset_factory(
    ChecklistItemForm,
    formset=BaseChecklistFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_CHECKLIST_ITEMS,
    absolute_max=MAX_CHECKLIST_ITEMS,
    validate_max=True,
)
AttributeFormSet = forms.formset_factory(
    AttributeForm,
    formset=BaseAttributeFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_ATTRIBUTES,
    absolute_max=MAX_ATTRIBUTES,
    validate_max=True,
)


class NoteBodyForm(forms.Form):
    """A note's body alone, as the Preview tab sends it: Markdown, held to the note's limit."""

    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        strip=False,
        max_length=MAX_BODY_LENGTH,
        help_text="Markdown. Raw HTML is shown as text.",
    )

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\r\n", "\n")


class CountedCharField(forms.CharField):
    """Text whose limit a counter shows (data-max-length): no maxlength, with which a browser cuts a pasted text silently."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["data-max-length"] = attrs.pop("maxlength")
        return attrs


@sharing_fields
class NoteForm(NoteBodyForm):
    """Title, body, visibility, pin and tags, plus the checklist and attributes formsets."""

    title = CountedCharField(
        max_length=MAX_TITLE_LENGTH,
        help_text=f"Up to {MAX_TITLE_LENGTH} characters.",
        error_messages={"max_length": "A title has at most %(limit_value)d characters (this one has %(show_value)d)."},
    )
    visibility = forms.ChoiceField(
        choices=Note.Visibility.choices, initial=Note.Visibility.PRIVATE, widget=forms.RadioSelect
    )
    pinned = forms.BooleanField(required=False, label="Pin to the top of my notes")
    tags = forms.CharField(
        required=False,
        max_length=MAX_TAGS * (MAX_TAG_LENGTH + 2),
        help_text=(
            f"Separated by commas or spaces, so “road trip” is two tags, #road and #trip: write road-trip for one. "
            f"Letters a–z without accents (café is refused: write cafe), digits, - and _; at most {MAX_TAGS}."
        ),
    )

    def __init__(
        self, *args: Any, note: Note | None = None, action: EditorAction = EditorAction.SAVE, **kwargs: Any
    ) -> None:
        self.action = action
        if note is not None:
            kwargs["initial"] = {
                "title": note.title,
                "body": note.body,
                "visibility": note.visibility,
                "pinned": note.pinned,
                "tags": ", ".join(note.tags),
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.row_added = False  # an Add button gave its rows one blank row more
        self.row_refused = False  # an Add button was pressed on rows at their limit
        self.checklist: BaseChecklistFormSet = ChecklistFormSet(  # type: ignore[assignment] # formset_factory() is typed as returning the base class
            self._rows_posted("checklist", ChecklistFormSet.max_num),
            prefix="checklist",
            initial=[{"text": item.text, "done": item.done} for item in note.checklist] if note else None,
        )
        self.attributes: BaseAttributeFormSet = AttributeFormSet(  # type: ignore[assignment] # formset_factory() is typed as returning the base class
            self._rows_posted("attributes", AttributeFormSet.max_num),
            prefix="attributes",
            initial=[{"name": name, "value": value} for name, value in note.attributes.items()] if note else None,
        )
        if self.row_added and (added_to := self.rows_added_to()):
            added_to.forms[-1].visible_fields()[0].field.widget.attrs["autofocus"] = True

    def rows_added_to(self) -> forms.BaseFormSet | None:
        """The formset whose Add button was pressed, if one was."""
        prefix = ROWS_ADDED_BY.get(self.action)
        return getattr(self, prefix) if prefix else None

    def _rows_posted(self, prefix: str, max_rows: int) -> Any:
        """The posted rows of the `prefix` formset, one blank row longer if its Add button was pressed.

        A formset that holds `max_rows` already gets no row more (clean() says the limit): a
        TOTAL_FORMS over it would be refused on every save until the page was loaded afresh.
        """
        if not self.is_bound:
            return None
        if ROWS_ADDED_BY.get(self.action) != prefix:
            return self.data
        key = f"{prefix}-{TOTAL_FORM_COUNT}"
        try:
            rows = int(self.data.get(key, ""))
        except ValueError:
            rows = -1
        if rows < 0:
            return self.data  # the formset says its management form is broken
        if rows >= max_rows:
            self.row_refused = True
            return self.data
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[key] = str(rows + 1)
        self.row_added = True
        return data

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data["tags"])
        invalid = []
        for tag in tags:
            try:
                validate_slug(tag)
            except ValidationError:
                invalid.append(tag)
        if invalid:
            raise ValidationError(
                "Not a tag: %(tags)s. Tags use letters a–z without accents, digits, - and _.",
                code="tag_invalid",
                params={"tags": ", ".join(invalid)},
            )
        if too_long := [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]:
            raise ValidationError(
                "Tags have at most %(max)d characters: %(tags)s.",
                code="tag_length",
                params={"max": MAX_TAG_LENGTH, "tags": ", ".join(too_long)},
            )
        if len(tags) > MAX_TAGS:
            raise ValidationError(
                "At most %(max)d tags (you gave %(count)d).",
                code="tags_count",
                params={"max": MAX_TAGS, "count": len(tags)},
            )
        return tags

    def clean(self) -> dict[str, Any]:
        """Check the row formsets too, and turn their rows into checklist items and attributes.

        A form shown again unsaved (Preview, Add item) says every error a save would, but a title
        not written yet: a note needs one to be saved, not to be previewed.
        """
        super().clean()
        cleaned = self.cleaned_data
        if self.action != EditorAction.SAVE and self.has_error("title", code="required"):
            del self.errors["title"]
        if self.row_refused and (full := self.rows_added_to()):
            self.add_error(None, ValidationError(full.default_error_messages["too_many_forms"], code="too_many_rows"))
        if self.checklist.is_valid():
            cleaned["checklist"] = self.checklist.checklist()
        else:
            self.add_error(None, ValidationError("Check the checklist rows below.", code="checklist"))
        if self.attributes.is_valid():
            attributes = self.attributes.attributes()
            try:
                validate_attribute_keys(attributes)
            except ValidationError as error:
                self.add_error(None, error)
            else:
                cleaned["attributes"] = attributes
        else:
            self.add_error(None, ValidationError("Check the attribute rows below.", code="attributes"))
        return cleaned

    def body_to_preview(self) -> str | None:
        """The body the Preview tab shows: None unless Preview was pressed and the body is valid."""
        if self.action != EditorAction.PREVIEW or self.has_error("body"):
            return None
        return self.cleaned_data["body"]

    def note_values(self) -> dict[str, Any]:
        """Return the cleaned values in the shape note_create() and note_update() take."""
        fields = ("title", "body", "visibility", "pinned", "tags", "checklist", "attributes")
        return {field: self.cleaned_data[field] for field in fields}
