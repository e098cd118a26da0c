"""UI input shapes for cases: the register form with its parties, and one form per workflow
action built from the action's declared inputs. Rules live in the services; these forms only
parse, offer the right choices, and carry the services' field errors back to the fields."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.people import people_q
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.cases import refdata, workflow
from fengqiao.cases.choices import (
    ETHNIC_GROUPS,
    Action,
    AgreementForm,
    Channel,
    Gender,
    IdType,
    PartiesConsent,
    PartyKind,
    PartyRole,
    RiskLevel,
    TerminationReason,
)
from fengqiao.cases.models import Case, Party
from fengqiao.cases.party_services import ParticularsDraft
from fengqiao.cases.services import ActionInput, CaseDraft, PartyDraft
from fengqiao.core import clock
from fengqiao.core.collation import code_point_order, pinyin_key
from fengqiao.core.form_errors import show_field_errors
from fengqiao.core.widgets import DateInput
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region, within_q

DATE_INPUT = DateInput()


def subcategory_choices(category: str) -> list[tuple[str, str]]:
    """The active subcategories of one category (none when no category is chosen)."""
    children = refdata.categories().active_children(category) if category else []
    return [("", "—"), *((c.code, c.name) for c in children)]


class CaseRegisterForm(forms.Form):
    org_id = forms.TypedChoiceField(label=_("registering organisation"), coerce=int)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))
    claims = forms.CharField(
        label=_("claims"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    channel = forms.ChoiceField(
        label=_("channel"), choices=Channel.choices, initial=Channel.WALK_IN
    )
    source_ref = forms.CharField(label=_("source reference"), max_length=64, required=False)
    category = forms.ChoiceField(label=_("category"))
    subcategory = forms.ChoiceField(label=_("subcategory"), required=False)
    region = forms.ChoiceField(label=_("place"))
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    occurred_on = forms.DateField(label=_("occurred on"), required=False, widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("amount in dispute (yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    people_count = forms.IntegerField(label=_("people involved"), min_value=1, initial=2)
    risk_level = forms.ChoiceField(
        label=_("risk level"), choices=RiskLevel.choices, initial=RiskLevel.LOW
    )
    is_criminal_risk = forms.BooleanField(label=_("risk of turning criminal"), required=False)
    is_mass = forms.BooleanField(label=_("mass incident risk"), required=False)
    is_extreme = forms.BooleanField(label=_("extreme behaviour risk"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(
            pk__in=access.org_ids_with(actor, Capability.CASE_REGISTER), is_active=True
        )
        self._choice_field("org_id").choices = [
            (o.pk, o.name) for o in sorted(orgs, key=lambda o: pinyin_key(o.name))
        ]
        prefixes = access.scope_prefixes(actor, Capability.CASE_REGISTER)
        regions = Region.objects.filter(
            within_q("prefix", prefixes), level__gte=RegionLevel.TOWNSHIP
        )
        self._choice_field("region").choices = [("", "—")] + [
            (r.code, ("· " if r.level == RegionLevel.VILLAGE else "") + r.name)
            # each township, then its villages in pinyin order (not by code or code point)
            for r in sorted(regions, key=lambda r: (r.code[:9], r.level, pinyin_key(r.name)))
        ]
        categories = [c for c in refdata.categories().active() if c.parent_id is None]
        self._choice_field("category").choices = [("", "—")] + [
            (c.code, c.name) for c in categories
        ]
        # Only the chosen category's subcategories; the category select asks for them again
        # (htmx) whenever it changes.
        category = self.data.get("category", "") if self.is_bound else ""
        self._choice_field("subcategory").choices = subcategory_choices(category)
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("cases:subcategories"),
                "hx-target": "#id_subcategory",
                "hx-trigger": "change",
            }
        )

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  declared above
        return field

    def to_draft(self, parties: tuple[PartyDraft, ...]) -> CaseDraft:
        data = self.cleaned_data
        return CaseDraft(
            org_id=data["org_id"],
            title=data["title"],
            description=data["description"],
            claims=data["claims"],
            channel=data["channel"],
            source_ref=data["source_ref"],
            category=data["category"],
            subcategory=data["subcategory"],
            region=data["region"],
            address=data["address"],
            occurred_on=data["occurred_on"],
            amount=data["amount"],
            people_count=data["people_count"],
            risk_level=data["risk_level"],
            is_criminal_risk=data["is_criminal_risk"],
            is_mass=data["is_mass"],
            is_extreme=data["is_extreme"],
            parties=parties,
        )


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    name = forms.CharField(label=_("name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    region = forms.CharField(
        label=_("residence (township or village)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"list": "party-regions", "inputmode": "numeric"}),
        help_text=_("Pick from the list; routing sends disputes between villages up a level."),
    )


PartyFormSet = formset_factory(PartyForm, extra=0, min_num=1, validate_min=True, max_num=50)


def party_drafts(formset: Any) -> tuple[PartyDraft, ...]:
    return tuple(PartyDraft(**form.cleaned_data) for form in formset.forms if form.cleaned_data)


def apply_service_errors(errors: dict[str, list[str]], form: forms.Form, formset: Any) -> None:
    """Put the services' field errors on the fields the user filled in."""
    for name, messages in errors.items():
        if name.startswith("parties."):
            _prefix, index, field = [*name.split("."), "", ""][:3]
            target = (
                formset.forms[int(index)]
                if index.isdigit() and int(index) < len(formset.forms)
                else None
            )
            for message in messages:
                if target is not None and field in target.fields:
                    target.add_error(field, message)
                else:
                    form.add_error(None, message)
        else:
            show_field_errors(form, {name: messages})


class ActionForm(forms.Form):
    """The inputs of one workflow action, with choices limited to what the actor may pick."""

    def __init__(
        self, *args: Any, transition: workflow.Transition, case: Case, actor: User, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.transition = transition
        builders = {
            workflow.NOTE: lambda: forms.CharField(
                label=_("note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            ),
            workflow.REFERRED_TO: lambda: forms.CharField(label=_("referred to"), max_length=200),
            workflow.ORG: lambda: forms.TypedChoiceField(
                label=_("organisation"),
                coerce=int,
                choices=[("", "—"), *self._org_choices(case, actor)],
            ),
            workflow.ASSIGNEE: lambda: forms.TypedChoiceField(
                label=_("assignee"),
                coerce=int,
                choices=[
                    ("", "—"),
                    *self._people(actor, Capability.CASE_MEDIATE, scope=Capability.CASE_ASSIGN),
                ],
            ),
            workflow.LEAD: lambda: forms.TypedChoiceField(
                label=_("responsible leader"),
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *self._people(actor, Capability.CASE_SUPERVISE)],
            ),
            workflow.DUE_DATE: lambda: forms.DateField(
                # 交办 sets the deadline; the clock actions ask for a later one (issue #21: every
                # date read "办理期限").
                label=_("due date") if transition.name == Action.ASSIGN else _("extended until"),
                widget=DATE_INPUT,
                initial=case.due_date or clock.today(),
            ),
            workflow.AGREEMENT_FORM: lambda: forms.ChoiceField(
                label=_("agreement form"), choices=AgreementForm.choices
            ),
            workflow.TERMINATION_REASON: lambda: forms.ChoiceField(
                label=_("termination reason"),
                choices=TerminationReason.choices,
                help_text=_(
                    "Concealment, delay or collusion: state in the note what the party did. A "
                    "suspected collusion (虚假调解) is reported for review to the delegating "
                    "court, the township centre and the judicial office (特邀调解规定 art.18)."
                ),
            ),
            workflow.PARTIES_CONSENT: lambda: forms.ChoiceField(
                label=_("the parties' answer to mediation"),
                choices=PartiesConsent.choices,
                initial=PartiesConsent.CONSENTED,
            ),
            workflow.MERGE_INTO: lambda: forms.CharField(
                label=_("number of the primary case"), max_length=40
            ),
            workflow.APPROVAL_REF: lambda: forms.CharField(
                label=_("approval (petition cases)"),
                max_length=200,
                help_text=_(
                    "Petition cases: who in the petition organ approved it, or the approval's "
                    "number (信访工作条例 art.34)."
                ),
            ),
            workflow.CONSENT_DOCUMENT: lambda: forms.TypedChoiceField(
                label=_("parties' written consent (court cases)"),
                coerce=int,
                empty_value=None,
                choices=[
                    ("", "—"),
                    *[(a.pk, a.original_name) for a in case.attachments.order_by("-uploaded_at")],
                ],
                help_text=_(
                    "Court cases: the uploaded written consent of the parties to the extension."
                ),
            ),
        }
        for name in transition.inputs:
            field = builders[name]()
            field.required = name in transition.required
            self.fields[name] = field

    def _org_choices(self, case: Case, actor: User) -> list[tuple[int, str]]:
        orgs = Organisation.objects.active().select_related("region")
        if self.transition.name == Action.ASSIGN:
            orgs = orgs.filter(
                within_q("region__prefix", access.scope_prefixes(actor, Capability.CASE_ASSIGN))
            )
        elif self.transition.name == Action.ESCALATE:
            region = case.handling_org.region
            ancestors = [region.prefix[:n] for n in (2, 4, 6, 9) if n < len(region.prefix)]
            orgs = orgs.filter(region__prefix__in=ancestors)
        else:
            orgs = orgs.exclude(pk=case.handling_org_id)
        # each division's units in pinyin order (issue #16), by the key stored with the name
        ordered = orgs.order_by("region__code", code_point_order("name_key"), "name")
        return [(o.pk, f"{o.name}") for o in ordered]

    def _people(
        self, actor: User, capability: Capability, *, scope: Capability = Capability.CASE_VIEW
    ) -> list[tuple[int, str]]:
        """Users holding an active membership whose role has ``capability``, at organisations
        inside the actor's ``scope``."""
        roles = roles_with(capability)
        prefixes = access.scope_prefixes(actor, scope)
        memberships = (
            Membership.objects.active()
            .filter(people_q("user__"), role__in=roles, user__is_active=True)
            .filter(within_q("org__region__prefix", prefixes))
            .select_related("user", "org__region")
            .order_by("org__region__code", "user__username")
        )
        seen: dict[int, tuple[str, tuple[str, str], str]] = {}
        for m in memberships:
            seen.setdefault(m.user_id, (m.org.region.code, pinyin_key(str(m.user)), m.org.name))
        # by division, then by name in pinyin (issue #16), not by username
        ordered = sorted(seen.items(), key=lambda item: item[1][:2])
        return [(user_id, f"{name[1]}（{org}）") for user_id, (_code, name, org) in ordered]

    def to_action(self) -> ActionInput:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return ActionInput(**data)


class ParticularsForm(forms.Form):
    """A party's particulars (当事人基本情况), completed by the mediator. Held values are never
    sent to the page in clear, so every field starts empty and an empty field keeps what is
    held; what a field holds now is shown masked beside it."""

    gender = forms.ChoiceField(
        label=_("gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    ethnicity = forms.ChoiceField(
        label=_("ethnic group"),
        choices=[("", "—"), *((name, name) for name in ETHNIC_GROUPS)],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("date of birth"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Read from a resident ID number when left empty."),
    )
    occupation = forms.CharField(label=_("occupation or employer"), max_length=100, required=False)
    address = forms.CharField(label=_("residential address"), max_length=200, required=False)
    id_type = forms.ChoiceField(
        label=_("ID type"), choices=[("", "—"), *IdType.choices], required=False
    )
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("contact number"), max_length=20, required=False)
    representative = forms.CharField(
        label=_("legal representative or person in charge"), max_length=100, required=False
    )
    representative_title = forms.CharField(
        label=_("position of the representative"), max_length=50, required=False
    )
    agent = forms.CharField(label=_("agent"), max_length=100, required=False)

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"party-{party.pk}")
        super().__init__(*args, **kwargs)
        self.party = party
        id_type = self.fields["id_type"]
        assert isinstance(id_type, forms.ChoiceField)  # noqa: S101  declared above
        if party.kind == PartyKind.ORGANISATION:
            for name in ("gender", "ethnicity", "birth_date", "occupation"):
                del self.fields[name]
            self.fields["address"].label = _("domicile")
            kept = {"", IdType.CREDIT_CODE, IdType.OTHER}
        else:
            for name in ("representative", "representative_title"):
                del self.fields[name]
            kept = {"", *IdType.values} - {IdType.CREDIT_CODE}
        id_type.choices = [("", "—"), *((v, label) for v, label in IdType.choices if v in kept)]
        held = {**(party.particulars_masked or {})}
        held.update(
            address=party.address_masked,
            id_number=party.id_number_masked,
            phone=party.phone_masked,
        )
        if party.id_type:
            held["id_type"] = str(party.get_id_type_display())
        for name, field in self.fields.items():
            if held.get(name):
                field.widget.attrs["placeholder"] = held[name]

    def to_draft(self) -> ParticularsDraft:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return ParticularsDraft(**data)
