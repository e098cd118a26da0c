"""The inbox page: my messages, unread first; open one or mark all read."""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fengqiao.accounts.models import User
from fengqiao.core.exceptions import NotFound
from fengqiao.supervision import services
from fengqiao.supervision.models import Notification


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  LoginRequiredMiddleware guarantees it
    return user


def inbox(request: HttpRequest) -> HttpResponse:
    messages = Notification.objects.filter(recipient=_actor(request)).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/inbox.html", {"page": page})


@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a message read and go where it points."""
    try:
        services.notification_read(actor=_actor(request), notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    message = Notification.objects.get(pk=notification_id)
    return redirect(message.url or "supervision:inbox")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notification_read(actor=_actor(request))
    return redirect("supervision:inbox")
