"""The client portal: a client's own sign-in, threads, and new messages (F10)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts.models import Kind, User
from huddle.attachments.pages import picked_ids
from huddle.availability.pages import portal_context
from huddle.core.errors import ActionError
from huddle.core.pages import form_page
from huddle.core.views import not_found
from huddle.messaging import actions, queries
from huddle.messaging.models import View
from huddle.messaging.pages import portal_page, start_once
from huddle.messaging.views import list_beside
from huddle.portal.forms import PortalComposeForm
from huddle.signin.pages import sign_in_page, sign_out_page


def signin(request: HttpRequest) -> HttpResponse:
    return sign_in_page(
        request, kind=Kind.CLIENT, template="portal/signin.html", home="portal_inbox"
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    return sign_out_page(request, signin="portal_signin")


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
    context.update(portal_context(user))  # availability: guidance, crisis, closed, mode
    return render(request, "portal/inbox.html", context)


@portal_page
def compose(request: HttpRequest, user: User) -> HttpResponse:
    form = PortalComposeForm(request.POST or None, initial={"form_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thread_id = start_once(
            form,
            user,
            "portal:compose",
            lambda: actions.start_client_thread(
                sender=user,
                client=user.client,
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                attachment_ids=picked_ids(request),
            ),
        )
        if thread_id is not None:
            messages.success(request, "Your message was sent to the practice.")
            return redirect("portal_thread", thread_id=thread_id)
    context = {"form": form, "section": "messages", **portal_context(user)}
    context.update(list_beside(user, View.CLIENTS))
    if not context["availability"]["may_start"]:  # type: ignore[index]
        # Reply-only or off: the page says why, with no form that would fail.
        return render(request, "portal/compose.html", context, status=403)
    return form_page(request, "portal/compose.html", context, form)
