"""The page around a members' fragment, kept per process: all of it but the member's own blocks.

A fragment (fragments.py) holds the blocks a page template fills in; the rest of the page is what
the templates it extends add around them. Most of that is the same for every member: the head,
the static files' URLs, the page's frame. Rendering it on every hit took most of a fragment hit's
time (issue #18). So it is rendered once per process for each page template and set of blocks, a
skeleton with a slot for each block. On each request only the root template's MEMBER_BLOCKS are
rendered, from the request's own context (the header with their name, the Log out form with their
CSRF token, their messages), and the slots are filled.

The skeleton is rendered from a context with nothing of a request in it: whatever the root template
showed of a member outside MEMBER_BLOCKS would come out empty there, and the page would differ from
the one rendered whole (tests/page_cache/test_skeletons.py compares them).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple, cast

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template import Context, Template, engines
from django.template.backends.django import DjangoTemplates
from django.template.backends.django import Template as BackendTemplate
from django.template.base import FilterExpression, TextNode
from django.template.context import make_context
from django.template.loader_tags import BlockNode, ExtendsNode
from django.utils.safestring import mark_safe

MEMBER_BLOCKS = ("member_header", "member_messages")  # base.html's: they show the member their own

_SLOT = re.compile("\x00([^\x00]+)\x00")  # no template holds a NUL: only the slots do


class Skeleton(NamedTuple):
    """A page around a fragment, rendered once: its text with slots, and the blocks each request renders."""

    pieces: tuple[str, ...]  # text and slot names in turn: text, slot, text, …, text
    root: Template  # the template at the top of the page's extends chain
    member_blocks: tuple[BlockNode, ...]  # the root's MEMBER_BLOCKS

    def page(self, request: HttpRequest, shared: dict[str, str]) -> str:
        """The page for `request`: the member's own blocks rendered for it, the others from `shared`."""
        context = make_context({}, request, autoescape=self.root.engine.autoescape)
        with context.render_context.push_state(self.root), context.bind_template(self.root):
            slots = {block.name: str(block.nodelist.render(context)) for block in self.member_blocks}
        slots.update(shared)
        return "".join([slots[piece] if index % 2 else piece for index, piece in enumerate(self.pieces)])


def _extends_node(template: Template) -> ExtendsNode | None:
    """The `{% extends %}` of `template`, which comes before any other tag, if it has one."""
    first = next((node for node in template.nodelist if not isinstance(node, TextNode)), None)
    return first if isinstance(first, ExtendsNode) else None


def _root_of(template: Template) -> Template:
    """The template `template` extends at the top of its chain; none below it may fill a member's own block."""
    while (extends := _extends_node(template)) is not None:
        if filled := sorted(set(MEMBER_BLOCKS) & extends.blocks.keys()):
            raise ImproperlyConfigured(f"{template.name} fills {filled}, which each member renders")
        template = template.engine.get_template(cast(FilterExpression, extends.parent_name).resolve(Context()))
    return template


@cache
def _around(block_names: tuple[str, ...]) -> BackendTemplate:
    """A template that extends `page_template` and fills each named block from `slots`."""
    filled = "".join(f"{{% block {name} %}}{{{{ slots.{name} }}}}{{% endblock %}}" for name in block_names)
    return cast(BackendTemplate, engines["django"].from_string(f"{{% extends page_template %}}{filled}"))


@cache
def skeleton(page_template: str, shared: tuple[str, ...]) -> Skeleton:
    """The skeleton of `page_template` around the blocks named `shared`, rendered on first use in the process."""
    engine = cast(DjangoTemplates, engines["django"]).engine
    root = _root_of(engine.get_template(page_template))
    names = (*shared, *MEMBER_BLOCKS)
    slots = {name: mark_safe(f"\x00{name}\x00") for name in names}  # the slot's name between NULs
    html = _around(tuple(sorted(names))).render({"page_template": page_template, "slots": slots})
    blocks = [cast(BlockNode, node) for node in root.nodelist.get_nodes_by_type(BlockNode)]
    member_blocks = tuple(block for block in blocks if block.name in MEMBER_BLOCKS)
    return Skeleton(tuple(_SLOT.split(html)), root, member_blocks)
