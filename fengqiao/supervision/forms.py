"""Input validation for the supervision pages (the services write)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.notifications.choices import NotificationKind


class IssueForm(forms.Form):
    instructions = forms.CharField(
        label=_("Instructions"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    escalate_case = forms.BooleanField(
        label=_("Mediation failed: escalate the case to the level above"), required=False
    )


KIND_CHOICES = NotificationKind.choices


class PreferencesForm(forms.Form):
    sms_kinds = forms.MultipleChoiceField(
        label=_("By SMS"), choices=KIND_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    sms_target = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    email_kinds = forms.MultipleChoiceField(
        label=_("By email"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email_target = forms.EmailField(
        label=_("Email address (blank: the one on your account)"), required=False
    )
