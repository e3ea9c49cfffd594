from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from huddle.accounts.models import Kind
from huddle.signin.pages import sign_in_page, sign_out_page


def signin(request: HttpRequest) -> HttpResponse:
    return sign_in_page(request, kind=Kind.STAFF, template="accounts/signin.html", home="home")


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    return sign_out_page(request, signin="signin")
