"""`/.well-known/security.txt` (RFC 9116): where to report a security problem."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    site = settings.SITE_URL.rstrip("/")
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {site}/.well-known/security.txt",
        f"Policy: {site}/.well-known/security.txt",
        "# What is and is not protected: docs/SECURITY.md in Huddle's source.",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
