"""The home page: for a visitor what Polystore is and what members share, for a member their own notes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView

from home.sections import member_sections, visitor_sections
from notes.topics import NOTES
from page_cache.views import AnonymousPageCacheMixin
from users.topics import MEMBERS


class HomeView(AnonymousPageCacheMixin, TemplateView):
    """Show a visitor the newest public notes and the most viewed (kept in Redis), a member their notes at a glance."""

    def page_topics(self) -> list[str]:
        return [NOTES, MEMBERS]

    def get_template_names(self) -> list[str]:
        return ["home/member.html" if self.request.user.is_authenticated else "home/visitor.html"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        sections = member_sections(user) if user.is_authenticated else visitor_sections(user)
        response = self.render_to_response(self.get_context_data(**sections, **kwargs))
        if None in sections.values():  # a store did not answer: neither Redis nor the browser keeps this copy
            add_never_cache_headers(response)
        return response
