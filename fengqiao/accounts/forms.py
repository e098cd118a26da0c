"""The sign-in forms: the password (with the failure lock in front of it) and the authenticator
code."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        return cleaned  # the view records the sign-in once the second factor is through

    @staticmethod
    def _locked(until: Any) -> forms.ValidationError:
        message = gettext("Too many failed sign-ins. Try again after {time}.").format(
            time=timezone.localtime(until).strftime("%H:%M")
        )
        return forms.ValidationError(message, code="locked")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
