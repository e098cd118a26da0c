from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.audit.models import AuditAction
from fengqiao.audit_review.selectors import AuditQuery
from fengqiao.core.widgets import DateInput


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    target = forms.CharField(label=_("What"), required=False, max_length=200)
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "from"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "to"), required=False, widget=DateInput()
    )
    ip_address = forms.GenericIPAddressField(label=_("IP address"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def query(self) -> AuditQuery:
        data = self.cleaned_data
        return AuditQuery(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            target=data.get("target") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            ip_address=data.get("ip_address") or "",
        )
