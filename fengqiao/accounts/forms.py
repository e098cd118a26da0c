"""The sign-in form, with the failure lock in front of the password check."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import security


class LockingAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        until = security.login_locked_until(username=username)
        if until is not None:
            raise self._locked(until)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                until = security.login_failed(username=username)
                if until is not None:
                    raise self._locked(until) from None
            raise
        user = self.get_user()
        if user is not None:
            security.login_succeeded(user=user)
        return cleaned

    @staticmethod
    def _locked(until: Any) -> forms.ValidationError:
        message = gettext("Too many failed sign-ins. Try again after {time}.").format(
            time=timezone.localtime(until).strftime("%H:%M")
        )
        return forms.ValidationError(message, code="locked")
