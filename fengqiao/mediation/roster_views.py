"""Keeping the roster in the browser: a new entry, changes to an entry, availability. Whoever
assigns cases over the organisation keeps its roster (the services check it)."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.models import DisputeCategory
from fengqiao.core.collation import code_point_order
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.mediation import roster_services, selectors
from fengqiao.mediation.roster_services import MediatorDraft
from fengqiao.orgs.models import Mediator, MediatorKind, Organisation


def _kept_orgs(actor: User) -> list[Organisation]:
    """Organisations whose roster the actor keeps (case assignment over their region), by
    place, then in pinyin order."""
    kept = access.scoped(Organisation.objects.all(), actor, Capability.CASE_ASSIGN, "region__code")
    return list(kept.order_by("region__code", code_point_order("name_key"), "name"))


def keeps(actor: User, mediator: Mediator) -> bool:
    return access.can(actor, Capability.CASE_ASSIGN, prefix=mediator.org.region.code)


class MediatorForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("a person's name", "name"), max_length=50)
    kind = forms.ChoiceField(label=_("kind"), choices=MediatorKind.choices)
    org_id = forms.TypedChoiceField(label=_("organisation"), coerce=int)
    court_id = forms.TypedChoiceField(
        label=_("court name list"), coerce=int, required=False, empty_value=None
    )
    specialties = forms.MultipleChoiceField(
        label=_("specialties"), required=False, widget=forms.CheckboxSelectMultiple
    )
    dialects = forms.CharField(label=_("dialects"), max_length=100, required=False)
    area_prefix = forms.CharField(
        label=_("area served (region code)"), max_length=12, required=False
    )
    is_active = forms.BooleanField(label=_("on the roster"), required=False, initial=True)

    def __init__(self, *args: Any, actor: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org_id"]
        assert isinstance(org_field, forms.TypedChoiceField)  # noqa: S101  declared above
        org_field.choices = [(o.pk, o.name) for o in _kept_orgs(actor)]
        court_field = self.fields["court_id"]
        assert isinstance(court_field, forms.TypedChoiceField)  # noqa: S101  declared above
        courts = Organisation.objects.filter(kind="court").order_by(
            code_point_order("name_key"), "name"
        )
        court_field.choices = [("", "—"), *((c.pk, c.name) for c in courts)]
        specialties = self.fields["specialties"]
        assert isinstance(specialties, forms.MultipleChoiceField)  # noqa: S101  declared above
        specialties.choices = list(
            DisputeCategory.objects.filter(parent__isnull=True)
            .order_by("pk")
            .values_list("code", "name")
        )
        if editing:
            del self.fields["org_id"]  # an entry stays with its organisation
        else:
            del self.fields["is_active"]

    def draft(self) -> MediatorDraft:
        data = self.cleaned_data
        return MediatorDraft(
            name=data["name"],
            kind=data["kind"],
            specialties=tuple(data.get("specialties") or ()),
            dialects=data.get("dialects") or "",
            area_prefix=(data.get("area_prefix") or "").strip(),
            court_id=data.get("court_id"),
        )

    def show(self, error: InvalidInput) -> None:
        form_error_status(self, error)


def mediator_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = MediatorForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        try:
            mediator = roster_services.mediator_create(
                actor=actor,
                org_id=form.cleaned_data["org_id"],
                name=draft.name,
                kind=draft.kind,
                specialties=list(draft.specialties),
                dialects=draft.dialects,
                area_prefix=draft.area_prefix,
                court_id=draft.court_id,
            )
        except NotFound:
            form.add_error("org_id", _("Choose an organisation whose roster you keep."))
        except InvalidInput as error:
            form.show(error)
        else:
            return redirect("mediation:mediator", mediator.pk)
    status = 422 if form.is_bound else 200
    return render(request, "mediation/mediator_form.html", {"form": form}, status=status)


def mediator_edit(request: HttpRequest, mediator_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        mediator = selectors.mediator_get_for(actor=actor, mediator_id=mediator_id)
    except NotFound:
        return render(request, "cases/not_found.html", status=404)
    if not keeps(actor, mediator):
        return render(request, "cases/not_found.html", status=404)
    initial = {
        "name": mediator.name,
        "kind": mediator.kind,
        "court_id": mediator.court_id,
        "specialties": mediator.specialties,
        "dialects": mediator.dialects,
        "area_prefix": mediator.area_prefix,
        "is_active": mediator.is_active,
    }
    form = MediatorForm(request.POST or None, actor=actor, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roster_services.mediator_update(
                actor=actor,
                mediator_id=mediator.pk,
                draft=form.draft(),
                is_active=form.cleaned_data["is_active"],
            )
        except NotFound:
            return render(request, "cases/not_found.html", status=404)
        except InvalidInput as error:
            form.show(error)
        else:
            return redirect("mediation:mediator", mediator.pk)
    status = 422 if form.is_bound else 200
    context = {"form": form, "m": mediator}
    return render(request, "mediation/mediator_form.html", context, status=status)


@require_POST
def mediator_availability(request: HttpRequest, mediator_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        mediator = selectors.mediator_get_for(actor=actor, mediator_id=mediator_id)
        roster_services.mediator_set_availability(
            actor=actor,
            mediator_id=mediator.pk,
            is_available=request.POST.get("available") == "1",
            note=request.POST.get("note", ""),
        )
    except NotFound:
        return render(request, "cases/not_found.html", status=404)
    return redirect("mediation:mediator", mediator.pk)
