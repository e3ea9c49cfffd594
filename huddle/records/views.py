"""The records pages: Settings > Records (Practice Admins), a thread's export,
and emergency access. Views parse, call actions and answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.core.errors import ActionError, NotFound
from huddle.core.pages import form_page, run_action
from huddle.core.views import not_found
from huddle.messaging.pages import STAFF, page_for
from huddle.records import emergency, exports, queries, retention
from huddle.records.forms import (
    ClientSearchForm,
    EmergencyForm,
    ExportForm,
    HoldForm,
    RetentionForm,
)
from huddle.records.models import HoldScope
from huddle.records.thread_export import export_thread


@page_for(STAFF)
def thread_export(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
    try:
        file = export_thread(user=user, thread_id=thread_id, format=request.GET.get("format"))
    except ActionError as exc:
        if isinstance(exc, NotFound):
            raise
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def _settings_context(user: User, **forms: object) -> dict[str, object]:
    current = retention.settings_of(user.practice_id)
    listed = list(exports.visible(user)[:20])
    return {
        "retention_form": forms.get("retention_form")
        or RetentionForm(
            initial={
                "retention_years": current.retention_years,
                "purge_after_retention": current.purge_after_retention,
            }
        ),
        "export_form": forms.get("export_form") or ExportForm(),
        "hold_form": forms.get("hold_form") or HoldForm(initial={"scope": HoldScope.PRACTICE}),
        "exports": listed,
        "active_export": next((e for e in listed if e.status in ("queued", "running")), None),
        "holds": list(retention.holds(user)[:200]),
        "accesses": queries.recent_emergency_accesses(user),
        "section": "records",
    }


@admin_page
def records_settings(request: HttpRequest, user: User) -> HttpResponse:
    return render(request, "records/settings.html", _settings_context(user))


@admin_page
@require_POST
def save_retention(request: HttpRequest, user: User) -> HttpResponse:
    form = RetentionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: retention.update_retention(
                user=user,
                retention_years=data["retention_years"],
                purge_after_retention=data["purge_after_retention"],
            ),
        ):
            messages.success(request, "Retention settings saved.")
            return redirect("records_settings")
    context = _settings_context(user, retention_form=form)
    return form_page(request, "records/settings.html", context, form)


@admin_page
@require_POST
def start_export(request: HttpRequest, user: User) -> HttpResponse:
    form = ExportForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            exports.request_export(user=user, reason=form.cleaned_data["reason"])
        except exports.ExportRunning as exc:
            form.add_error(None, exc.message)
            status = 409
        except ActionError as exc:
            for name, message in (exc.fields or {"reason": exc.message}).items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, "The export has started. This page shows its progress.")
            return redirect("records_settings")
    context = _settings_context(user, export_form=form)
    return render(request, "records/settings.html", context, status=status)


@admin_page
def download_export(request: HttpRequest, user: User, export_id: int) -> HttpResponseBase:
    try:
        path = exports.open_download(user=user, export_id=export_id)
    except NotFound:
        return not_found(request)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )


@admin_page
@require_POST
def place_hold(request: HttpRequest, user: User) -> HttpResponse:
    form = HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        target = data["target_id"]
        if run_action(
            form,
            lambda: retention.place_hold(
                user=user,
                scope=data["scope"],
                reason=data["reason"],
                client_id=target if data["scope"] == HoldScope.CLIENT else None,
                thread_id=target if data["scope"] == HoldScope.THREAD else None,
            ),
        ):
            messages.success(request, "The legal hold is in place.")
            return redirect("records_settings")
    for field in ("client_id", "thread_id"):
        if field in form.errors:
            form.errors["target_id"] = form.errors.pop(field)
    context = _settings_context(user, hold_form=form)
    return form_page(request, "records/settings.html", context, form)


@admin_page
@require_POST
def release_hold(request: HttpRequest, user: User, hold_id: int) -> HttpResponse:
    try:
        retention.release_hold(user=user, hold_id=hold_id)
    except NotFound:
        return not_found(request)
    messages.success(request, "The legal hold was released.")
    return redirect("records_settings")


def _not_allowed(request: HttpRequest) -> HttpResponse:
    context = {
        "message": emergency.NOT_ALLOWED,
        "section": "emergency",
        "base_template": "core/base.html",
    }
    return render(request, "messaging/off.html", context, status=403)


@page_for(STAFF)
def emergency_search(request: HttpRequest, user: User) -> HttpResponse:
    if not emergency.may_break_glass(user):
        return _not_allowed(request)
    form = ClientSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "q": q,
        "clients": list(queries.clients_named(user, q)),
        "section": "emergency",
    }
    return render(request, "records/emergency_search.html", context)


@page_for(STAFF)
def emergency_client(request: HttpRequest, user: User, client_id: int) -> HttpResponse:
    """The form (GET, POST) and, while access lasts, the client's threads."""
    client = queries.client_of(user, client_id)
    if client is None:
        return not_found(request)
    if not emergency.may_break_glass(user):
        return _not_allowed(request)
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if run_action(
            form,
            lambda: emergency.open_emergency_access(user=user, client_id=client_id, reason=reason),
        ):
            messages.success(request, "Emergency access is open. It is shown on each thread.")
            return redirect("emergency_client", client_id=client_id)
    grant = emergency.active_access(user, client_id)
    context = {
        "client": client,
        "form": form,
        "grant": grant,
        "threads": emergency.client_threads(user, client_id) if grant else [],
        "section": "emergency",
    }
    return form_page(request, "records/emergency_client.html", context, form)
