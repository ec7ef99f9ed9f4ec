"""`{% site_header %}`: the site's header, kept per process for each member it can show (and one for visitors).

base.html drew it on every page: ten URLs reversed and four includes, 0.8 ms of a member's page
(issue #18). What it shows depends on who is logged in and nothing else once its Log out buttons
post the page's own form (`{% logout_form %}`: form#logout-form, which holds the CSRF token).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

HEADERS_KEPT = 1_024  # per process: a header is about 2 KB


class HeaderMember(NamedTuple):
    """What the header shows of the member logged in."""

    pk: int
    public_name: str
    is_staff: bool


@lru_cache(maxsize=HEADERS_KEPT)
def header_html(member: HeaderMember | None) -> SafeString:
    """The header for `member`, or for a visitor (templates/_site_header.html)."""
    return SafeString(render_to_string("_site_header.html", {"member": member}))


@register.simple_tag(name="site_header", takes_context=True)
def site_header_tag(context: template.Context) -> SafeString:
    """The header for the request's user (a visitor's where there is none, as on the 500 page)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return header_html(None)
    return header_html(HeaderMember(user.pk, user.public_name, user.is_staff))


@cache
def logout_url() -> str:
    """Where the Log out form posts, reversed once per process like the header's links."""
    return reverse("users:logout")


@register.simple_tag(name="logout_form", takes_context=True)
def logout_form_tag(context: template.Context) -> SafeString:
    """The form the header's Log out buttons post, with the request's CSRF token; nothing for a visitor.

    Reversing its URL on every page was about a third of what a member's page around a kept fragment
    renders for them (issue #18).
    """
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return SafeString("")
    token = CsrfTokenNode().render(context)  # {% csrf_token %}'s own input
    return format_html('<form method="post" action="{}" id="logout-form" hidden>{}</form>', logout_url(), token)
