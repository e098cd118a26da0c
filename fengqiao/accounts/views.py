"""Signing in (password, then the authenticator), enrolling an authenticator, and the security
administrator's page (locks and lost authenticators)."""

import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from fengqiao.accounts import passwords, recovery_codes, security, selectors, two_factor
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.forms import CodeForm, LockingAuthenticationForm, RecoveryCodeForm
from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError

PENDING = "fengqiao_pending_sign_in"
PENDING_SECONDS = 300  # the password step is good for five minutes


class SignInView(LoginView):
    """The password step; with an authenticator required or enrolled, the person is not signed
    in yet: the second step finishes it."""

    authentication_form = LockingAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.needs_second_factor(user):
            response = super().form_valid(form)
            security.login_succeeded(user=user)
            return response
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", ""),
            "since": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("second_factor")


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, pending) if user is not None else None


def _finish_sign_in(request: HttpRequest, user: User, pending: dict[str, Any]) -> str:
    """Sign the person in after the second step; the page to go to next (never another site)."""
    del request.session[PENDING]
    login(request, user, backend=pending["backend"] or None)
    security.login_succeeded(user=user)
    target = pending.get("next") or reverse("cases:todo")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("cases:todo")
    return str(target)


def _locked_out(request: HttpRequest, until: datetime) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(
        request,
        gettext("Too many failed sign-ins. Try again after {time}.").format(
            time=timezone.localtime(until).strftime("%H:%M")
        ),
    )
    return redirect("login")


def _show_recovery_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The new recovery codes, shown this once (the page is not cached), to print or copy."""
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next_url": next_url, "few_left": recovery_codes.FEW_LEFT},
    )
    add_never_cache_headers(response)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code step; someone without an authenticator enrols one here first (when required)."""
    found = _pending_user(request)
    if found is None:
        return redirect("login")
    user, pending = found
    confirmed = two_factor.confirmed_device(user)
    enrolling = confirmed is None
    device = confirmed or two_factor.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(user=user, code=form.cleaned_data["code"]):
            target = _finish_sign_in(request, user, pending)
            if enrolling:
                return _show_recovery_codes(
                    request, recovery_codes.recovery_codes_generate(actor=user), target
                )
            return HttpResponseRedirect(target)
        until = security.login_failed(username=user.get_username())
        if until is not None:
            return _locked_out(request, until)
        form.add_error("code", gettext("The code is wrong or has been used. Try the next one."))
    context = {"form": form, "enrolling": enrolling, "person": user}
    if enrolling:
        context["qr_svg"] = two_factor.qr_svg(device)
        secret = two_factor.secret_of(device)
        context["secret_groups"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "registration/second_factor.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def second_factor_recovery(request: HttpRequest) -> HttpResponse:
    """The code step with a recovery code instead of the authenticator (issue #16). Wrong codes
    count toward the same lock, and a lock already in force refuses even a right one."""
    found = _pending_user(request)
    if found is None:
        return redirect("login")
    user, pending = found
    if two_factor.confirmed_device(user) is None:
        return redirect("second_factor")
    until = security.login_locked_until(username=user.get_username())
    if until is not None:
        return _locked_out(request, until)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if recovery_codes.recovery_code_use(user=user, code=form.cleaned_data["code"]):
            target = _finish_sign_in(request, user, pending)
            left = recovery_codes.recovery_codes_left(user)
            if left <= recovery_codes.FEW_LEFT:
                messages.warning(
                    request,
                    ngettext(
                        "Only {n} recovery code is left. Make a new set on My authenticator.",
                        "Only {n} recovery codes are left. Make a new set on My authenticator.",
                        left,
                    ).format(n=left),
                )
            return HttpResponseRedirect(target)
        until = security.login_failed(username=user.get_username())
        if until is not None:
            return _locked_out(request, until)
        form.add_error("code", gettext("The recovery code is wrong or has been used."))
    return render(request, "registration/second_factor_recovery.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_authenticator(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator while signed in (where the deployment does not require one yet);
    once enrolled, how many recovery codes are left."""
    user = request_actor(request)
    device = two_factor.confirmed_device(user)
    if device is not None:
        left = recovery_codes.recovery_codes_left(user)
        return render(
            request,
            "accounts/authenticator.html",
            {"device": device, "codes_left": left, "few_left": left <= recovery_codes.FEW_LEFT},
        )
    device = two_factor.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(user=user, code=form.cleaned_data["code"]):
            messages.success(request, gettext("Your authenticator is enrolled."))
            return _show_recovery_codes(
                request,
                recovery_codes.recovery_codes_generate(actor=user),
                reverse("my_authenticator"),
            )
        form.add_error("code", gettext("The code is wrong or has been used. Try the next one."))
    secret = two_factor.secret_of(device)
    return render(
        request,
        "accounts/authenticator.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes for the signed-in person; the old set stops working."""
    try:
        codes = recovery_codes.recovery_codes_generate(actor=request_actor(request))
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("my_authenticator")
    return _show_recovery_codes(request, codes, reverse("my_authenticator"))


def _kept_accounts(request: HttpRequest) -> QuerySet[User]:
    try:
        return selectors.accounts_kept_by(request.user)  # type: ignore[arg-type]
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error


@login_required
def security_admin(request: HttpRequest) -> HttpResponse:
    """Who is locked out, who has an authenticator: the security administrator's page."""
    accounts = _kept_accounts(request).order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/security_admin.html",
        {
            "rows": selectors.account_rows(list(page)),
            "page": page,
            "query": query,
            "pager_query": urlencode({"q": query}),
        },
    )


@login_required
@require_POST
def security_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    person = get_object_or_404(_kept_accounts(request), pk=user_id)
    reason = request.POST.get("reason", "")
    try:
        if action == "unlock":
            two_factor.login_unlock(actor=request.user, user=person, reason=reason)  # type: ignore[arg-type]
            messages.success(request, gettext("The lock on {user} is lifted.").format(user=person))
        elif action == "reset":
            two_factor.two_factor_reset(actor=request.user, user=person, reason=reason)  # type: ignore[arg-type]
            messages.success(
                request, gettext("{user} will enrol a new authenticator.").format(user=person)
            )
        else:
            return redirect("security_admin")
    except InvalidInput as error:
        messages.error(request, "；".join(m for ms in error.errors.values() for m in ms))
    return redirect(reverse("security_admin") + f"?q={person.get_username()}")


class ChangePasswordView(PasswordChangeView):
    """Changing one's password (also where an expired password sends its owner); audited."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("cases:todo")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(actor=form.user, action=AuditAction.PASSWORD_CHANGED, target=form.user)
        messages.success(self.request, gettext("Your password is changed."))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = passwords.password_expired(self.request.user)
        return context


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site signs in through the same two steps as everyone else."""
    target = request.GET.get("next", reverse("admin:index"))
    return redirect(reverse("login") + "?" + urlencode({"next": target}))
