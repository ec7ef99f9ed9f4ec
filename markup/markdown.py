"""The Markdown rules notes and bios share: a body as safe HTML, and as plain text for the cards."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.utils.html import strip_tags
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

# A card shows at most this many characters; rendering a little more than that is enough
# to preview it, so a 100,000-character body costs a list no more than a short one.
PREVIEW_LENGTH = 200
PREVIEW_SOURCE_LENGTH = 2_000
PREVIEWS_KEPT = 2_048  # per process: at most ~5 MB
WHITESPACE = re.compile(r"\s+")

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


def markdown_html(text: str) -> str:
    """Render Markdown `text` as HTML, escaping any HTML written into it."""
    return markdown.render(text)


def markdown_preview(text: str, *, length: int = PREVIEW_LENGTH) -> str:
    """Return the start of Markdown `text` as plain text on one line, at most `length` characters."""
    return _preview(text[:PREVIEW_SOURCE_LENGTH], cut=len(text) > PREVIEW_SOURCE_LENGTH, length=length)


# A list renders one preview per card (0.1 ms each, issue #18) and shows the same notes again and
# again; a preview depends on its source alone, and each kept one is a few kilobytes.
@lru_cache(maxsize=PREVIEWS_KEPT)
def _preview(source: str, *, cut: bool, length: int) -> str:
    plain = html.unescape(strip_tags(markdown_html(source)))
    plain = WHITESPACE.sub(" ", plain).strip()
    if len(plain) > length or cut:
        return plain[: length - 1].rstrip() + "…"
    return plain
