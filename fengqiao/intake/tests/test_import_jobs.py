"""Ledger imports as background jobs (issue #16): the upload is stored, checked and imported by
the worker (the immediate backend runs it at commit here), the page polls a progress bar and
ends with a row-by-row report, the checked file is imported without being chosen again, all or
nothing; readable labels in the preview; GBK, GB18030 and UTF-8 with or without BOM; a zip bomb
and an over-long file get a Chinese message."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.intake import import_jobs, spreadsheet
from fengqiao.intake.models import ImportStatus, LedgerImport
from fengqiao.intake.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db
HEADER = [header for header, _name, _required in COLUMNS]


def _row(**values: str) -> list[str]:
    base = {
        "标题": "宅基地边界纠纷",
        "纠纷概况": "两户因界址争执。",
        "纠纷类别": "房屋宅基地纠纷",
        "发生地": "静河村",
        "申请人": "张三",
        "申请人电话": "13800138000",
        "被申请人": "李四",
    }
    base.update(values)
    return [base.get(header, "") for header in HEADER]


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _upload(client, org, content: bytes, name: str = "台账.csv", capture=None):
    upload = io.BytesIO(content)
    upload.name = name
    with capture(execute=True):
        return client.post(reverse("intake:import"), {"org_id": org.pk, "file": upload})


def test_the_worker_checks_the_stored_file_and_imports_it_without_choosing_it_again(
    client, tree, township_clerk, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    rows = [_row(), _row(标题="拖欠工资", 纠纷类别="劳动争议纠纷", 涉及金额="12,000")]

    uploaded = _upload(
        client, tree.township_centre, _csv(rows), capture=django_capture_on_commit_callbacks
    )

    job = LedgerImport.objects.get()
    assert uploaded.status_code == 302
    assert uploaded["Location"] == reverse("intake:import_job", args=[job.pk])
    assert (job.status, job.rows, job.error_count) == (ImportStatus.CHECKED, 2, 0)
    assert Case.objects.count() == 0
    page = client.get(uploaded["Location"]).content.decode()
    assert "宅基地边界纠纷" in page
    assert "房屋宅基地纠纷" in page  # the category's name, not its code
    assert f"{tree.township.name} {tree.village.name}" in page  # the place's, not 430624…
    assert tree.village.code not in page
    category = DisputeCategory.objects.get(name="房屋宅基地纠纷")
    assert f"<td>{category.code}</td>" not in page
    assert 'id="import-confirm"' in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("intake:import_confirm", args=[job.pk]))

    assert confirmed.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    numbers = list(Case.objects.order_by("pk").values_list("number", flat=True))
    assert job.created_cases == [[2, numbers[0]], [3, numbers[1]]]
    report = client.get(reverse("intake:import_report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)] == job.created_cases
    assert "filename*=UTF-8''" in report["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import_confirm", args=[job.pk]))  # a second click
    assert Case.objects.count() == 2


def test_the_page_polls_a_progress_bar_while_the_worker_runs_and_stops_when_it_ends(
    client, tree, township_clerk
):
    client.force_login(township_clerk)
    job = LedgerImport.objects.create(
        org=tree.township_centre,
        uploaded_by=township_clerk,
        file_name="台账.csv",
        status=ImportStatus.IMPORTING,
        rows=5000,
    )
    job.file.save("台账.csv", io.BytesIO(_csv([_row()])))
    import_jobs._progress_writer(job)(1200, force=True)
    status_url = reverse("intake:import_status", args=[job.pk])

    running = client.get(status_url).content.decode()

    assert f'hx-get="{status_url}"' in running
    assert 'hx-trigger="every 1s"' in running
    assert '<progress id="import-progress" value="1200" max="5000"' in running
    job.status = ImportStatus.IMPORTED
    job.save(update_fields=["status"])
    done = client.get(status_url).content.decode()
    assert "hx-get" not in done
    assert "<progress" not in done


def test_every_broken_row_is_reported_and_nothing_can_be_imported(
    client, tree, township_clerk, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    rows = [_row(), _row(纠纷类别="不存在的类别"), _row(发生地="石塘村"), _row()]

    _upload(client, tree.township_centre, _csv(rows), capture=django_capture_on_commit_callbacks)

    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "纠纷类别"), (4, "发生地")]
    page = client.get(reverse("intake:import_job", args=[job.pk])).content.decode()
    assert "import-confirm" not in page
    assert "<td>3</td><td>纠纷类别</td>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import_confirm", args=[job.pk]))
    assert Case.objects.count() == 0
    report = load_workbook(
        io.BytesIO(client.get(reverse("intake:import_report", args=[job.pk])).content)
    )
    assert [r[:2] for r in report.active.iter_rows(min_row=3, values_only=True)] == [
        (3, "纠纷类别"),
        (4, "发生地"),
    ]


def test_a_row_that_went_wrong_between_the_check_and_the_import_stops_every_row(
    client, tree, township_clerk, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    rows = [_row(), _row(), _row(纠纷类别="劳动争议纠纷")]
    _upload(client, tree.township_centre, _csv(rows), capture=django_capture_on_commit_callbacks)
    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.CHECKED
    DisputeCategory.objects.filter(name="劳动争议纠纷").update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "纠纷类别")]
    assert job.created_cases == []
    assert Case.objects.count() == 0  # rows 2 and 3 were registered, then rolled back


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_gbk_gb18030_and_utf8_with_or_without_bom_is_read(
    encoding, client, tree, township_clerk, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    content = _csv([_row(纠纷概况="两户因界址争执，多次口角。")], encoding)

    _upload(client, tree.township_centre, content, capture=django_capture_on_commit_callbacks)

    job = LedgerImport.objects.get()
    assert (job.status, job.error_count) == (ImportStatus.CHECKED, 0)
    assert job.preview[0]["title"] == "宅基地边界纠纷"
    assert job.preview[0]["category"] == "房屋宅基地纠纷"


def test_a_zip_bomb_is_refused_at_the_upload_with_a_chinese_message(
    client, tree, township_clerk, settings, django_capture_on_commit_callbacks
):
    settings.FENGQIAO_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    book = Workbook()
    book.active.append(HEADER)
    bomb = io.BytesIO()
    book.save(bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (4 * 1024 * 1024))  # 4 MB in a few KB
    client.force_login(township_clerk)

    response = _upload(
        client,
        tree.township_centre,
        bomb.getvalue(),
        name="台账.xlsx",
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 422
    assert "该表格解压后超过 1 MB，无法导入。" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_a_file_over_the_row_limit_ends_with_a_chinese_message_and_nothing_imported(
    client, tree, township_clerk, settings, django_capture_on_commit_callbacks
):
    settings.FENGQIAO_IMPORT_MAX_ROWS = 2
    client.force_login(township_clerk)

    _upload(
        client,
        tree.township_centre,
        _csv([_row(), _row(), _row()]),
        capture=django_capture_on_commit_callbacks,
    )

    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.message == "文件超过 2 行，请拆分为较小的文件后再导入。"
    page = client.get(reverse("intake:import_job", args=[job.pk])).content.decode()
    assert job.message in page


def test_missing_columns_are_named_by_their_headers(
    client, tree, township_clerk, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    content = "标题,纠纷概况\n甲,乙\n".encode()

    _upload(client, tree.township_centre, content, capture=django_capture_on_commit_callbacks)

    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.INVALID
    assert "纠纷类别" in job.message
    assert "category" not in job.message


def test_the_report_keeps_bounded_lists_whatever_the_file_size(
    tmp_path, tree, township_clerk, monkeypatch
):
    monkeypatch.setattr(spreadsheet, "MAX_REPORTED_ERRORS", 3)
    monkeypatch.setattr(spreadsheet, "PREVIEW_ROWS", 2)
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([_row() for _ in range(5)]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([_row(纠纷类别="无") for _ in range(5)]))

    checked = spreadsheet.cases_check(
        actor=township_clerk, org_id=tree.township_centre.pk, path=good
    )
    refused = spreadsheet.cases_check(
        actor=township_clerk, org_id=tree.township_centre.pk, path=bad
    )

    assert (checked.rows, len(checked.preview)) == (5, 2)
    assert (refused.error_count, len(refused.errors)) == (5, 3)


def test_someone_elses_upload_is_not_found(
    client, tree, township_clerk, make_actor, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    _upload(
        client, tree.township_centre, _csv([_row()]), capture=django_capture_on_commit_callbacks
    )
    job = LedgerImport.objects.get()
    colleague = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="colleague")
    client.force_login(colleague)

    for name in ("intake:import_job", "intake:import_status", "intake:import_report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("intake:import_confirm", args=[job.pk])).status_code == 404
    assert Case.objects.count() == 0
