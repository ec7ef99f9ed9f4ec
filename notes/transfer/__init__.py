"""Move notes in and out of the document store: JSON Lines both ways, Markdown files out, and the page for members.

The commands (export_notes, import_notes) and the page (views.py) share the same export and import.

JSON Lines: one note per line, its raw MongoDB document in Extended JSON, relaxed mode
(bson.json_util with RELAXED_JSON_OPTIONS): `_id` is {"$oid": "<24 hex>"}, datetimes are
{"$date": "YYYY-MM-DDTHH:MM:SS.mmmZ"} in UTC to the millisecond (BSON's own precision), every
other value is plain JSON. Importing an export into an empty database gives the same documents.
"""
