"""A URL path converter for MongoDB ObjectIds: anything else never reaches a view."""

from __future__ import annotations

from bson import ObjectId


class ObjectIdConverter:
    """Match 24 hexadecimal digits and hand the view an ObjectId."""

    regex = "[0-9a-fA-F]{24}"

    def to_python(self, value: str) -> ObjectId:
        return ObjectId(value)

    def to_url(self, value: ObjectId | str) -> str:
        return str(ObjectId(value))
