"""The inbox page (my messages, unread first), the supervision board, the case panel with its
督办 forms, and my notification channels. Thin: parse, call one selector or service, render."""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases.responses import case_not_found
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.core.htmx import trigger_client_event
from fengqiao.notifications import services
from fengqiao.notifications.models import ChannelPreference, Notification
from fengqiao.supervision import forms, notices, selectors


def inbox(request: HttpRequest) -> HttpResponse:
    messages = Notification.objects.filter(recipient=request_actor(request)).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/inbox.html", {"page": page})


@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a message read and go where it points."""
    try:
        services.notification_read(actor=request_actor(request), notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    message = Notification.objects.get(pk=notification_id)
    return redirect(message.url or "supervision:inbox")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notification_read(actor=request_actor(request))
    return redirect("supervision:inbox")


# 督办: the board, the case panel and its forms, and the user's own channel preferences.


def board(request: HttpRequest) -> HttpResponse:
    data = selectors.board_for(actor=request_actor(request))
    return render(request, "supervision/board.html", {"board": data})


def _panel(
    request: HttpRequest,
    data: selectors.CaseSupervision,
    *,
    issue_form: forms.IssueForm | None = None,
    reply_forms: dict[int, forms.ReplyForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    replies = reply_forms or {}
    rows = [(n, replies.get(n.pk) or forms.ReplyForm(prefix=f"n{n.pk}")) for n in data.notices]
    context = {
        "s": data,
        "case": data.case,
        "rows": rows,
        "issue_form": issue_form or forms.IssueForm(),
    }
    return render(request, "supervision/_panel.html", context, status=status)


def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        data = selectors.case_supervision_for(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return case_not_found(request)
    return _panel(request, data)


def _changed() -> HttpResponse:
    # The panel reloads itself on ``case-changed`` with the header and the timeline.
    response = HttpResponse(status=200)
    response["HX-Reswap"] = "none"
    return trigger_client_event(response, "case-changed")


@require_POST
def issue(request: HttpRequest, case_id: int) -> HttpResponse:
    """A leader's 督办 from the panel: 200 and ``case-changed``, 422/403/409 with the form."""
    actor = request_actor(request)
    try:
        data = selectors.case_supervision_for(actor=actor, case_id=case_id)
    except NotFound:
        return case_not_found(request)
    form = forms.IssueForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            notices.supervision_issue(
                actor=actor, case_id=case_id, instructions=form.cleaned_data["instructions"]
            )
        except NotFound:
            return case_not_found(request)
        except ApplicationError as exc:
            status = form_error_status(form, exc)
        else:
            return _changed()
    return _panel(request, data, issue_form=form, status=status)


@require_POST
def reply(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    """The handling unit's reply (optionally escalating the case when mediation failed)."""
    actor = request_actor(request)
    try:
        data = selectors.case_supervision_for(actor=actor, case_id=case_id)
    except NotFound:
        return case_not_found(request)
    form = forms.ReplyForm(request.POST, prefix=f"n{notice_id}")
    status = 422
    if form.is_valid():
        try:
            notices.supervision_reply(
                actor=actor,
                case_id=case_id,
                notice_id=notice_id,
                reply=form.cleaned_data["reply"],
                escalate_case=form.cleaned_data["escalate_case"],
            )
        except NotFound:
            return case_not_found(request)
        except ApplicationError as exc:
            status = form_error_status(form, exc)
        else:
            return _changed()
    return _panel(request, data, reply_forms={notice_id: form}, status=status)


@require_POST
def close(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        notices.supervision_close(actor=actor, case_id=case_id, notice_id=notice_id)
    except NotFound:
        return case_not_found(request)
    except ApplicationError as exc:
        return HttpResponse(str(exc), status=exc.status_code)
    return _changed()


def preferences(request: HttpRequest) -> HttpResponse:
    """Each person chooses, for themselves only, which kinds of message also reach them by SMS
    or email; the organisation's group robots are set by administrators."""
    actor = request_actor(request)
    current = {p.channel: p for p in ChannelPreference.objects.filter(user=actor)}
    status = 200
    if request.method == "POST":
        form = forms.PreferencesForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            try:
                services.channel_preferences_set(
                    actor=actor,
                    choices={
                        "sms": (values["sms_kinds"], values["sms_target"]),
                        "email": (values["email_kinds"], values["email_target"]),
                    },
                )
            except InvalidInput as exc:
                form_error_status(form, exc)
                status = 422
            else:
                return redirect("supervision:preferences")
        else:
            status = 422
    else:
        initial: dict[str, object] = {}
        for channel, preference in current.items():
            initial[f"{channel}_kinds"] = preference.kinds
            initial[f"{channel}_target"] = preference.target
        form = forms.PreferencesForm(initial=initial)
    return render(request, "supervision/preferences.html", {"form": form}, status=status)
