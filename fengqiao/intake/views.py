"""Uploading a ledger: check it (preview with every row's problems), then import all or nothing."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.core import spreadsheet
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.spreadsheet import cases_import, template_workbook
from fengqiao.orgs.models import Organisation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class LedgerUploadForm(forms.Form):
    org_id = forms.TypedChoiceField(label=_("registering organisation"), coerce=int)
    file = forms.FileField(label=_("ledger file (.xlsx or .csv)"))

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        org_ids = access.org_ids_with(actor, Capability.CASE_REGISTER)
        field = self.fields["org_id"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101  declared above
        field.choices = [(o.pk, o.name) for o in Organisation.objects.filter(pk__in=org_ids)]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(gettext("Only .csv and .xlsx files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 10 MB."))
        return upload


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  LoginRequiredMiddleware guarantees it
    return user


def import_ledger(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, actor=actor)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("mode") != "import"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / ("upload" + Path(upload.name).suffix.lower())
            path.write_bytes(upload.read())
            try:
                report = cases_import(
                    actor=actor, org_id=form.cleaned_data["org_id"], path=path, dry_run=dry_run
                )
            except InvalidInput as exc:
                form.add_error("file", exc.message)
                return render(request, "intake/import.html", context, status=422)
        if report.ok and not dry_run:
            messages.success(request, gettext("Imported {n} cases.").format(n=len(report.created)))
            return redirect("cases:list")
        context.update({"report": report, "checked": True})
        return render(request, "intake/import.html", context, status=200 if report.ok else 422)
    return render(request, "intake/import.html", context, status=422 if form.is_bound else 200)


def import_template(request: HttpRequest) -> HttpResponse:
    return spreadsheet.attachment(template_workbook(_actor(request)), "矛盾纠纷登记台账模板.xlsx")
