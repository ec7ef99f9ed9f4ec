"""Fragments for members: the part of a shared page every member sees alike, kept in Redis under its topics.

A page kept whole for anonymous visitors (views.AnonymousPageCacheMixin) shows a member the same
data inside a header of their own (their name, their log-out form, their messages). Its shared
part is the blocks its template fills in (title, content): a member's canonical GET reads them with
one round trip (versions.versioned_get), under the same topics as the whole page, and puts them in
the page's skeleton (skeletons.py: what base.html adds, kept per process, with only the member's
own blocks rendered per request), with no query for the page's data. A write bumps the topics, so
the next request renders afresh: nobody sees a copy older than their own write.

A view names the fragment a member shares with others (`shared_fragment()`): None when the page
shows that member something of their own (their profile's email, staff columns), which then renders
whole as before.
A block that asks for a CSRF token is never kept: it would hand one member's token to the others.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.backends.django import Template as BackendTemplate
from django.template.context import make_context
from django.template.loader_tags import BlockNode, ExtendsNode
from django.template.response import TemplateResponse
from django.views import View

from page_cache.skeletons import skeleton
from page_cache.versions import Filing, versioned_get, versioned_set
from page_cache.views import is_canonical

FRAGMENT_PREFIX = "fragment:"


def shares_fragments(request: HttpRequest) -> bool:
    """Whether `request` may read or fill a fragment: a member's GET of a canonical URL."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and is_canonical(request)
    )


def _blocks_of(template: BackendTemplate) -> dict[str, BlockNode]:
    """The blocks a page template fills in for the template it extends."""
    [extends] = template.template.nodelist.get_nodes_by_type(ExtendsNode)
    return cast(ExtendsNode, extends).blocks


def _shared_blocks(template: BackendTemplate, values: dict[str, Any], request: HttpRequest) -> dict[str, str] | None:
    """Render each block of `template` alone; None if one asked for the CSRF token (never to be shared)."""
    token_was_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    context = make_context(values, request, autoescape=template.backend.engine.autoescape)
    with context.render_context.push_state(template.template), context.bind_template(template.template):
        blocks = {name: str(block.nodelist.render(context)) for name, block in _blocks_of(template).items()}
    asked = request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = token_was_used or asked
    return None if asked else blocks


def around_fragment(request: HttpRequest, fragment: dict[str, Any]) -> HttpResponse:
    """The page around a kept fragment: its skeleton, kept per process, with only the member's own blocks rendered."""
    kept = skeleton(fragment["template"], tuple(sorted(fragment["blocks"])))
    return HttpResponse(kept.page(request, fragment["blocks"]))


class MemberFragmentCacheMixin(View):
    """Serve members the shared part of a page from Redis while the topics it shows are unchanged."""

    request: HttpRequest
    _fragment_filing: Filing | None

    def page_topics(self) -> list[str]:
        raise NotImplementedError

    def shared_fragment(self) -> str | None:
        """Name the fragment the logged-in member shares with others, or None when the page shows them their own."""
        return "member"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        name = self.shared_fragment() if shares_fragments(request) else None
        if name is None:
            return super().dispatch(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        self._fragment_filing, fragment = versioned_get(f"{FRAGMENT_PREFIX}{name}:{path}", self.page_topics())
        if fragment is not None:
            return around_fragment(request, fragment)
        return self.keep_fragment(super().dispatch(request, *args, **kwargs))

    def keep_fragment(self, response: HttpResponseBase) -> HttpResponseBase:
        """Once the page renders, keep its blocks, rendered alone from the same context, for the next member."""
        filing = self._fragment_filing
        if filing is None or response.status_code != 200 or not isinstance(response, TemplateResponse):
            return response

        def keep(page: TemplateResponse) -> None:  # a callback's return value would replace the page
            template = cast(BackendTemplate, page.resolve_template(page.template_name))  # the Django engine's
            blocks = _shared_blocks(template, dict(page.context_data or {}), self.request)
            if blocks is not None:
                fragment = {"template": template.template.name, "blocks": blocks}
                versioned_set(filing, fragment, settings.PAGE_CACHE_SECONDS)

        response.add_post_render_callback(keep)
        return response


def fills_fragments(request: HttpRequest, view: Any) -> bool:
    """Whether `view` may keep a fragment rendered for `request`: its reads then must not come from a replica behind."""
    view_class = getattr(view, "view_class", None)
    return (
        isinstance(view_class, type) and issubclass(view_class, MemberFragmentCacheMixin) and shares_fragments(request)
    )
