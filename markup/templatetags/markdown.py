"""The `markdown` filter: Markdown as HTML that carries no markup of the author's own (notes, bios)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from markup.markdown import markdown_html

register = template.Library()


@register.filter(name="markdown", is_safe=True)
def render_markdown(text: Any) -> SafeString:
    """Render Markdown `text` as HTML, escaping any HTML written into it."""
    return mark_safe(markdown_html(str(text or "")))
