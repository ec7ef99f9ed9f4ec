"""The notes admin's form: the checklist and the attributes edited as rows, checked by the editor's own row forms.

Each list is one form field whose widget reads the whole formset back from the POST and renders
it as a table, one row per item; the editor's formsets (notes.forms) hold the rules, so the admin
refuses what the site refuses. Without JavaScript a blank row adds an item and the positions
reorder them; static/js/admin-note-rows.js adds rows on demand and moves items up and down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from notes.forms import AttributeFormSet, BaseAttributeFormSet, BaseChecklistFormSet, ChecklistFormSet
from notes.models import MAX_ATTRIBUTES, MAX_CHECKLIST_ITEMS, ChecklistItem, Note


class AdminChecklistFormSet(ChecklistFormSet):  # type: ignore[valid-type,misc] # a class made by formset_factory()
    extra = 1


class AdminAttributeFormSet(AttributeFormSet):  # type: ignore[valid-type,misc] # a class made by formset_factory()
    extra = 1


@dataclass(frozen=True)
class RowsTable:
    """How templates/admin/notes/note/rows.html draws one kind of row: its row template, headings and Add button."""

    row_template: str
    columns: tuple[str, ...]
    add_label: str
    ordered: bool = False  # admin-note-rows.js moves the rows up and down, keeping their positions in step


class RowsWidget(forms.Widget):
    """A formset as a table of rows: read back from the POST as the bound formset, rendered as a RowsTable."""

    class Media:
        css = {"all": ["css/admin-note-rows.css"]}
        js = ["js/admin-note-rows.js"]

    def __init__(self, formset_class: type[BaseFormSet], table: RowsTable) -> None:
        super().__init__()
        self.formset_class = formset_class
        self.table = table

    def value_from_datadict(self, data: Any, files: Any, name: str) -> BaseFormSet:
        return self.formset_class(data, prefix=name)

    def id_for_label(self, id_: str) -> str:
        """Name no input: the field's label is the table's, not its first cell's."""
        return ""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        """Render the bound formset (with its errors), or a new one holding `value`'s rows."""
        formset = value if isinstance(value, BaseFormSet) else self.formset_class(initial=value, prefix=name)
        return render_to_string("admin/notes/note/rows.html", {"formset": formset, "table": self.table})


class RowsField(forms.Field):
    """A note's embedded list as formset rows; cleans to the model field's value, or to the rows' errors."""

    invalid_rows_message = "Correct the rows marked below."

    def __init__(self, *, formset_class: type[BaseFormSet], table: RowsTable, **kwargs: Any) -> None:
        super().__init__(required=False, widget=RowsWidget(formset_class, table), **kwargs)

    def rows(self, value: Any) -> list[dict[str, Any]]:
        """Return the formset rows that show the model field's `value`."""
        raise NotImplementedError

    def value_of(self, formset: Any) -> Any:
        """Return the model field's value that the valid `formset`'s rows make."""
        raise NotImplementedError

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, BaseFormSet) else self.rows(value)

    def clean(self, value: BaseFormSet) -> Any:
        if not value.is_valid():
            raise ValidationError(list(value.non_form_errors()) or [self.invalid_rows_message])
        return self.value_of(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.rows(self.clean(data)) != self.rows(initial)
        except ValidationError:
            return True


class ChecklistRowsField(RowsField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            formset_class=AdminChecklistFormSet,
            table=RowsTable(
                "admin/notes/note/checklist_row.html", ("Item", "Done", "Order", "Delete"), "Add an item", ordered=True
            ),
            help_text=(
                f"One row per item: fill in the blank row to add one, move items with ↑ and ↓ (or their "
                f"positions), tick Delete to drop one. A checklist holds at most {MAX_CHECKLIST_ITEMS} items."
            ),
            **kwargs,
        )

    def rows(self, value: list[ChecklistItem] | None) -> list[dict[str, Any]]:
        return [{"text": item.text, "done": item.done} for item in value or []]

    def value_of(self, formset: BaseChecklistFormSet) -> list[ChecklistItem]:
        return formset.checklist()


class AttributeRowsField(RowsField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            formset_class=AdminAttributeFormSet,
            table=RowsTable("admin/notes/note/attribute_row.html", ("Name", "Value", "Delete"), "Add an attribute"),
            help_text=(
                f"Name/value pairs, e.g. “colour” and “blue”. Names may not start with $ or contain a dot, and "
                f"each appears once. A note holds at most {MAX_ATTRIBUTES} attributes."
            ),
            **kwargs,
        )

    def rows(self, value: dict[str, str] | None) -> list[dict[str, Any]]:
        return [{"name": name, "value": text} for name, text in (value or {}).items()]

    def value_of(self, formset: BaseAttributeFormSet) -> dict[str, str]:
        return formset.attributes()


class NoteAdminForm(forms.ModelForm):
    """The note's fields as the admin shows them, with the checklist and attributes as rows."""

    checklist = ChecklistRowsField()
    attributes = AttributeRowsField()

    class Meta:
        model = Note
        fields = ("owner_id", "title", "body", "tags", "visibility", "pinned", "checklist", "attributes")
