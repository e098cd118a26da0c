"""Forms of the mediation panel: parse and type the input; the rules live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.cases.choices import AgreementForm
from fengqiao.core.widgets import DateInput, DateTimeInput
from fengqiao.mediation.choices import (
    ReferralChannel,
    ReferralResult,
    Ruling,
    Satisfaction,
    SessionMode,
    SignatureRole,
)
from fengqiao.mediation.models import Agreement
from fengqiao.mediation.services import TermDraft

DATE_INPUT = DateInput()
DATETIME_INPUT = DateTimeInput()
TERM_ROWS = 3


def _text(label: Any, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class PartyChoiceMixin:
    """Fills the party choices of the case into ``party_id`` / ``confirmed_party_ids``."""

    def __init__(self, *args: Any, parties: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.name) for p in parties or []]
        fields = self.fields  # type: ignore[attr-defined]
        for name in ("party_id", "confirmed_party_ids"):
            if name in fields:
                fields[name].choices = choices


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("held at"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    mode = forms.ChoiceField(label=_("mode"), choices=SessionMode.choices)
    place = forms.CharField(
        label=pgettext_lazy("where a session or investigation is held", "place"),
        required=False,
        max_length=200,
    )
    mediator_ids = forms.TypedMultipleChoiceField(
        label=_("mediators"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendees = _text(_("attendees"), 2)
    invitees = _text(_("people invited"), 2)
    invitees_consented = forms.BooleanField(
        label=_("parties consented to invitees"), required=False
    )
    record_text = _text(_("session record"), 5, required=True)

    def __init__(self, *args: Any, mediators: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator_ids"].choices = [(m.pk, m.name) for m in mediators or []]  # type: ignore[attr-defined]


class InvestigationForm(forms.Form):
    investigated_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    investigators = forms.CharField(label=_("investigators"), max_length=200)
    subject = forms.CharField(label=_("person or matter investigated"), max_length=200)
    place = forms.CharField(
        label=pgettext_lazy("where a session or investigation is held", "place"),
        required=False,
        max_length=200,
    )
    record_text = _text(_("findings"), 4, required=True)


class RightsForm(PartyChoiceMixin, forms.Form):
    party_id = forms.TypedChoiceField(label=_("party"), coerce=int)
    notified_on = forms.DateField(label=_("notified on"), widget=DATE_INPUT)
    acknowledged = forms.BooleanField(label=_("acknowledged"), required=False)


class EndRequestForm(PartyChoiceMixin, forms.Form):
    party_id = forms.TypedChoiceField(label=_("party"), coerce=int)
    requested_on = forms.DateField(label=_("requested on"), widget=DATE_INPUT)
    reason = _text(_("reason"), 2)


class AgreementDraftForm(forms.Form):
    form = forms.ChoiceField(label=_("form"), choices=AgreementForm.choices)
    parties_particulars = _text(_("particulars of the parties"))
    facts = _text(_("main facts"))
    issues = _text(_("issues in dispute"), 2)
    responsibilities = _text(_("responsibilities"), 2)
    oral_record = _text(_("record of the oral agreement"))
    reached_on = forms.DateField(label=_("reached on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As many rows as the draft has terms (plus the usual empty ones), so none is dropped.
        given = {*self.initial, *(self.data or {})}
        self.term_rows = max(
            [TERM_ROWS]
            + [
                int(k[1:-8])
                for k in given
                if k[:1] == "t" and k.endswith("_content") and k[1:-8].isdigit()
            ]
        )
        for n in range(1, self.term_rows + 1):
            self.fields[f"t{n}_content"] = forms.CharField(
                label=_("Term %(n)s: obligation") % {"n": n}, required=False
            )
            self.fields[f"t{n}_obligor"] = forms.CharField(
                label=_("obliged party"), required=False, max_length=100
            )
            self.fields[f"t{n}_manner"] = forms.CharField(
                label=_("manner of performance"), required=False, max_length=200
            )
            self.fields[f"t{n}_place"] = forms.CharField(
                label=_("place of performance"), required=False, max_length=200
            )
            self.fields[f"t{n}_due_on"] = forms.DateField(
                label=_("deadline"), required=False, widget=DATE_INPUT
            )

    def terms(self) -> list[TermDraft]:
        data = self.cleaned_data
        return [
            TermDraft(
                content=data[f"t{n}_content"],
                obligor=data[f"t{n}_obligor"],
                manner=data[f"t{n}_manner"],
                place=data[f"t{n}_place"],
                due_on=data[f"t{n}_due_on"],
            )
            for n in range(1, self.term_rows + 1)
            if data[f"t{n}_content"].strip()
        ]


def agreement_initial(agreement: Agreement) -> dict[str, Any]:
    """The draft's own text and terms, so "rewrite the draft" edits it instead of starting empty
    (a save replaces the whole draft: an empty form used to wipe it, issue #21)."""
    initial: dict[str, Any] = {
        name: getattr(agreement, name)
        for name in (
            "form",
            "parties_particulars",
            "facts",
            "issues",
            "responsibilities",
            "oral_record",
            "reached_on",
        )
    }
    for n, term in enumerate(agreement.terms.all(), start=1):
        initial.update(
            {
                f"t{n}_content": term.content,
                f"t{n}_obligor": term.obligor,
                f"t{n}_manner": term.manner,
                f"t{n}_place": term.place,
                f"t{n}_due_on": term.due_on,
            }
        )
    return initial


class SignForm(PartyChoiceMixin, forms.Form):
    role = forms.ChoiceField(label=_("signed as"), choices=SignatureRole.choices)
    party_id = forms.TypedChoiceField(
        label=_("party"), coerce=int, required=False, empty_value=None
    )
    signer_name = forms.CharField(label=_("signed by"), required=False, max_length=100)
    signed_on = forms.DateField(label=_("signed on"), widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_id"].choices = [("", "—"), *self.fields["party_id"].choices]  # type: ignore[attr-defined]


class EffectiveForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class ConfirmFileForm(forms.Form):
    court = forms.CharField(label=_("court applied to"), max_length=100)
    applied_on = forms.DateField(label=_("applied on"), widget=DATE_INPUT)


class ConfirmRuleForm(forms.Form):
    ruling = forms.ChoiceField(label=_("ruling"), choices=Ruling.choices)
    ruled_on = forms.DateField(label=_("ruled on"), widget=DATE_INPUT)


class PerformanceForm(forms.Form):
    term_id = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=_("performance"),
        choices=[
            ("performed", _("Performed")),
            ("partly", _("Partly performed")),
            ("not_performed", _("Not performed")),
        ],
    )
    performed_on = forms.DateField(label=_("performed on"), required=False, widget=DATE_INPUT)


class FollowUpForm(forms.Form):
    follow_up_id = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("visited on"), widget=DATE_INPUT)
    method = forms.CharField(label=_("method"), max_length=50)
    outcome = _text(_("outcome"), 2, required=True)
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Satisfaction.choices)
    term_performed = forms.NullBooleanField(
        label=_("term performed"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    reopen = forms.BooleanField(label=_("reopen the case"), required=False)
    refer_to_enforcement = forms.CharField(
        label=_("refer to enforcement (court)"), required=False, max_length=100
    )


class FailureForm(PartyChoiceMixin, forms.Form):
    other_routes = _text(_("other routes notified"), 2)
    routes_notified_on = forms.DateField(
        label=_("routes notified on"), required=False, widget=DATE_INPUT
    )
    undisputed_facts = _text(_("undisputed facts"), 4)
    confirmed_party_ids = forms.TypedMultipleChoiceField(
        label=_("confirmed by"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )


class ReferralForm(forms.Form):
    # Not the case's intake channel (来源渠道): the route the dispute is referred to (issue #21).
    channel = forms.ChoiceField(
        label=pgettext_lazy("route a dispute is referred to", "channel"),
        choices=ReferralChannel.choices,
    )
    body = forms.CharField(label=_("referred to"), max_length=100)
    referred_on = forms.DateField(label=_("referred on"), widget=DATE_INPUT)


class ReferralResultForm(forms.Form):
    referral_id = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("result"), choices=[c for c in ReferralResult.choices if c[0] != "pending"]
    )
    result_on = forms.DateField(label=_("result on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("result note"), required=False, max_length=2000)
