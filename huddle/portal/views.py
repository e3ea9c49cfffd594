"""The client portal: a client's own sign-in, threads, and new messages (F10)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts.forms import SignInForm
from huddle.accounts.models import Kind, User
from huddle.core.errors import ActionError
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.messaging import actions, queries
from huddle.messaging.idempotency import once
from huddle.messaging.models import View
from huddle.messaging.pages import portal_page
from huddle.portal.forms import PortalComposeForm

BAD_SIGN_IN = "The email or password is not correct."


def signin(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User) and request.user.kind == Kind.CLIENT:
        return redirect("portal_inbox")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if isinstance(user, User) and user.kind == Kind.CLIENT:
            login(request, user)
            return redirect("portal_inbox")
        form.add_error(None, BAD_SIGN_IN)
    return render(request, "portal/signin.html", {"form": form}, status=form_status(form))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("portal_signin")


@portal_page
def inbox(request: HttpRequest, user: User) -> HttpResponse:
    folder = request.GET.get("folder", "inbox")
    if folder not in queries.FOLDERS:
        return not_found(request)
    try:
        page = queries.inbox(
            user, view=View.CLIENTS, folder=folder, cursor=request.GET.get("cursor")
        )
    except ActionError:  # a stale or forged cursor: start from the top
        return redirect(f"{request.path}?folder={folder}")
    unread = queries.unread_counts(user)["clients"]
    context = {"page": page, "folder": folder, "unread": unread, "section": "messages"}
    return render(request, "portal/inbox.html", context)


@portal_page
def compose(request: HttpRequest, user: User) -> HttpResponse:
    form = PortalComposeForm(request.POST or None, initial={"form_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result: dict[str, int] = {}

        def send() -> None:
            def run() -> tuple[int, object]:
                thread = actions.start_client_thread(
                    sender=user,
                    client=user.client,
                    audience=data["audience"],
                    subject=data["subject"],
                    body=data["body"],
                )
                return 201, {"thread_id": thread.pk}

            _, body = once(user, str(data["form_token"]), "portal:compose", run)
            result.update(body)

        if run_action(form, send):
            messages.success(request, "Your message was sent to the practice.")
            return redirect("portal_thread", thread_id=result["thread_id"])
    context = {"form": form, "section": "messages"}
    return render(request, "portal/compose.html", context, status=form_status(form))
