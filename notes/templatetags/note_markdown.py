"""Render a note's Markdown body as HTML that carries no markup of the author's own."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

register = template.Library()

# "html": False escapes raw HTML blocks and inline tags; markdown-it's validateLink drops
# javascript:, vbscript:, file: and (except images) data: links, leaving their text as written.
markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _render_link_open(
    renderer: RendererHTML, tokens: list[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    """Open author links with rel="nofollow noopener noreferrer": the author is not the site."""
    tokens[index].attrSet("rel", "nofollow noopener noreferrer")
    return renderer.renderToken(tokens, index, options, env)


markdown.add_render_rule("link_open", _render_link_open)


@register.filter(name="markdown", is_safe=True)
def render_markdown(text: Any) -> SafeString:
    """Render Markdown `text` as HTML, escaping any HTML written into it."""
    return mark_safe(markdown.render(str(text or "")))
