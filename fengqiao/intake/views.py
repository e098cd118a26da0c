"""Uploading a ledger: the worker checks it (every row's problems, a preview in readable words),
then, once confirmed, imports all rows or none; the page polls the job's progress (htmx)."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.core import spreadsheet
from fengqiao.core.collation import code_point_order
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.intake import import_jobs
from fengqiao.intake.models import LedgerImport
from fengqiao.intake.spreadsheet import import_vocabulary, template_workbook
from fengqiao.orgs.models import Organisation


class LedgerUploadForm(forms.Form):
    org_id = forms.TypedChoiceField(label=_("registering organisation"), coerce=int)
    file = forms.FileField(label=_("ledger file (.xlsx or .csv)"))

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        org_ids = access.org_ids_with(actor, Capability.CASE_REGISTER)
        field = self.fields["org_id"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101  declared above
        units = Organisation.objects.filter(pk__in=org_ids).order_by(
            "region__code", code_point_order("name_key"), "name"
        )
        field.choices = [(o.pk, o.name) for o in units]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(gettext("Only .csv and .xlsx files can be imported."))
        return upload


def import_ledger(request: HttpRequest) -> HttpResponse:
    """Upload a ledger: it is stored and checked by the worker; the page follows the job."""
    actor = request_actor(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.ledger_import_upload(
                actor=actor, org_id=form.cleaned_data["org_id"], upload=form.cleaned_data["file"]
            )
        except (InvalidInput, NotFound) as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("intake:import_job", import_id=job.pk)
    recent = LedgerImport.objects.filter(uploaded_by=actor).select_related("org")[:10]
    context = {"form": form, "recent": recent, "words": import_vocabulary(actor)}
    return render(request, "intake/import.html", context, status=422 if form.is_bound else 200)


def _job_context(job: LedgerImport) -> dict[str, object]:
    return {
        "job": job,
        "done": import_jobs.import_progress(job),
        "retry_notice": import_jobs.retry_notice(job),
        "shown_errors": job.errors[:200],
    }


def _job(request: HttpRequest, import_id: int) -> LedgerImport:
    try:
        return import_jobs.ledger_import_get_for(actor=request_actor(request), import_id=import_id)
    except NotFound as exc:
        raise Http404 from exc


def import_job(request: HttpRequest, import_id: int) -> HttpResponse:
    """One upload: its progress while the worker runs, then the row-by-row report."""
    return render(request, "intake/import_job.html", _job_context(_job(request, import_id)))


def import_job_status(request: HttpRequest, import_id: int) -> HttpResponse:
    """The status block the job page polls (htmx) until the phase in hand ends."""
    return render(request, "intake/_import_status.html", _job_context(_job(request, import_id)))


@require_POST
def import_job_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Import the checked file (the stored one: nothing is chosen again)."""
    _job(request, import_id)
    try:
        import_jobs.ledger_import_confirm(actor=request_actor(request), import_id=import_id)
    except ConflictError as exc:
        messages.error(request, exc.message)
    return redirect("intake:import_job", import_id=import_id)


def import_job_report(request: HttpRequest, import_id: int) -> HttpResponse:
    """The row-by-row report as .xlsx: every problem reported, or every row's case number."""
    job = _job(request, import_id)
    if job.created_cases:
        sheet = spreadsheet.Sheet(
            name="导入结果",
            title_rows=[f"{job.file_name} 导入结果（{job.org.name}）"],
            columns=[
                spreadsheet.Column("行号", 8, spreadsheet.INTEGER),
                spreadsheet.Column("案件编号", 24),
            ],
            rows=job.created_cases,
        )
    else:
        sheet = spreadsheet.Sheet(
            name="检查结果",
            title_rows=[f"{job.file_name} 检查结果：{job.error_count} 处问题"],
            columns=[
                spreadsheet.Column("行号", 8, spreadsheet.INTEGER),
                spreadsheet.Column("列", 16),
                spreadsheet.Column("问题", 60),
            ],
            rows=([e["row"], e["column"], e["message"]] for e in job.errors),
        )
    stem = Path(job.file_name).stem or "台账"
    return spreadsheet.attachment(spreadsheet.to_bytes([sheet]), f"{stem}-{sheet.name}.xlsx")


def import_template(request: HttpRequest) -> HttpResponse:
    return spreadsheet.attachment(
        template_workbook(request_actor(request)), "矛盾纠纷登记台账模板.xlsx"
    )
