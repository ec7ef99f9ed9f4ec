from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.dashboard import dashboard_figures
from health.probes import all_statuses


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Report every store's status; 503 naming the stores that do not answer."""
    statuses = all_statuses()
    failing = [status.store for status in statuses if not status.ok]
    body = {
        "status": "unavailable" if failing else "ok",
        "failing": failing,
        "stores": {status.store: status.as_dict() for status in statuses},
    }
    return JsonResponse(body, status=503 if failing else 200)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Show whether each store answers, its counts, the most viewed and recently viewed notes."""
    return render(request, "health/home.html", {"statuses": all_statuses(), **dashboard_figures(request.user)})
