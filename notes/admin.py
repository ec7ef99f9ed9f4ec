from django.contrib import admin

from notes.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_id", "visibility", "pinned", "updated_at")
    list_filter = ("visibility", "pinned")
    search_fields = ("title", "body")
    ordering = ("-updated_at",)
