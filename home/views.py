from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from health.probes import all_statuses
from home.dashboard import dashboard_figures


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Show whether each store answers, its counts, the most viewed and recently viewed notes."""
    return render(request, "home/home.html", {"statuses": all_statuses(), **dashboard_figures(request.user)})
