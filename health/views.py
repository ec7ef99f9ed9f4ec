from __future__ import annotations

import ipaddress
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health.probes import all_statuses
from health.status import store_status
from replicas.health import replica_statuses
from users.throttling import client_ip_address

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Report every store's status, in detail to staff and loopback only; 503 naming the stores that do not answer."""
    statuses = all_statuses()
    failing = [status.store for status in statuses if not status.ok]
    stores: dict[str, object]
    if may_see_store_details(request):
        stores = {status.store: status.as_dict() for status in statuses}
    else:
        stores = {status.store: "ok" if status.ok else "unavailable" for status in statuses}
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "stores": stores}
    # Replicas only take reads off the primary: one down or behind is skipped, never a reason for a 503.
    if replicas := replica_statuses(fresh=True):
        details = may_see_store_details(request)
        body["replicas"] = {r.alias: r.as_dict() if details else "ok" if r.ok else "skipped" for r in replicas}
    return JsonResponse(body, status=503 if failing else 200)


def may_see_store_details(request: HttpRequest) -> bool:
    """Whether the client may read server versions, addresses and driver errors: a loopback address, or staff.

    The address is the one the trusted proxies report (DJANGO_TRUSTED_PROXY_COUNT). Staff are asked
    for only off loopback, and an unreachable relational store means no details.
    """
    address = client_ip_address(request)
    try:
        if address and ipaddress.ip_address(address).is_loopback:
            return True
    except ValueError:
        pass  # not an address: not loopback
    try:
        return request.user.is_staff
    except DatabaseError as error:
        logger.info("readyz: staff status unknown (%s); answering without details", error)
        return False


@require_GET
@never_cache
@login_required
def store_status_page(request: HttpRequest) -> HttpResponse:
    """Show staff each store's answer, figures and size, and a chart of notes written per day; others get 403."""
    if not request.user.is_staff:
        raise PermissionDenied("The store status is for staff.")
    return render(request, "health/status.html", store_status())
