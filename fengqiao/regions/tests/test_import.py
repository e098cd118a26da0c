"""The region importer and its command: csv and xlsx, Chinese headers, all-or-nothing, re-import."""

from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from fengqiao.accounts.services import system_actor
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region
from fengqiao.regions.services import regions_import

pytestmark = pytest.mark.django_db

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "regions-430624-xiangyin.csv"
HEADER = ["code", "name", "level", "parent_code", "population"]
ROWS = [
    ["430000000000", "湖南省", "province", "", ""],
    ["430600000000", "岳阳市", "city", "430000000000", ""],
    ["430624000000", "湘阴县", "county", "430600000000", "600000"],
    ["430624122000", "静河镇", "township", "430624000000", "40000"],
    ["430624122201", "青湖村", "village", "430624122000", "2100"],
    ["430624122208", "水山村", "village", "430624122000", "1800"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "区划"
    for row in [header, *rows]:
        # Excel users type codes as numbers; the importer must cope with ints and floats alike.
        sheet.append([int(v) if v.isdigit() and len(v) == 12 else v for v in row])
    workbook.save(path)
    return path


def test_csv_import_builds_the_tree(tmp_path):
    result = regions_import(actor=system_actor(), path=write_csv(tmp_path / "r.csv", ROWS))
    assert (result.created, result.updated, result.errors) == (6, 0, [])
    village = Region.objects.get(code="430624122201")
    assert (village.level, village.parent.code, village.population, village.prefix) == (
        RegionLevel.VILLAGE,
        "430624122000",
        2100,
        "430624122201",
    )
    assert AuditEntry.objects.filter(action=AuditAction.REGIONS_IMPORTED).count() == 1


def test_xlsx_import_with_chinese_headers(tmp_path):
    header = ["区划代码", "名称", "级别", "上级代码", "常住人口"]
    chinese_levels = {"province": "省", "city": "市", "county": "县", "township": "镇"}
    rows = [[*r[:2], chinese_levels.get(r[2], "村"), *r[3:]] for r in ROWS]
    path = write_xlsx(tmp_path / "r.xlsx", rows, header)
    result = regions_import(actor=system_actor(), path=path)
    assert (result.created, result.errors) == (6, [])
    assert Region.objects.get(code="430624122000").level == RegionLevel.TOWNSHIP
    assert Region.objects.get(code="430624000000").population == 600000


def test_chinese_headers_in_csv(tmp_path):
    path = write_csv(tmp_path / "r.csv", ROWS, ["代码", "名称", "层级", "上级代码", "人口"])
    assert regions_import(actor=system_actor(), path=path).created == 6


@pytest.mark.parametrize(
    ("broken", "column"),
    [
        (["43062412220", "坏代码村", "village", "430624122000", ""], "code"),  # 11 digits
        (["430624122209", "孤村", "village", "430624999000", ""], "parent_code"),  # no parent
        (["430624122209", "错级村", "township", "430624122000", ""], "code"),  # wrong level
    ],
)
def test_one_broken_row_stores_nothing_and_names_the_row(tmp_path, broken, column):
    rows = [*ROWS[:4], broken, *ROWS[4:]]  # the bad row is the 6th line of the sheet
    result = regions_import(actor=system_actor(), path=write_csv(tmp_path / "r.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(6, column)]
    assert Region.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditAction.REGIONS_IMPORTED).exists()


def test_reimport_updates_instead_of_duplicating(tmp_path):
    regions_import(actor=system_actor(), path=write_csv(tmp_path / "a.csv", ROWS))
    renamed = [r if r[0] != "430624122208" else [*r[:1], "水山新村", *r[2:4], "1900"] for r in ROWS]
    result = regions_import(actor=system_actor(), path=write_csv(tmp_path / "b.csv", renamed))
    assert (result.created, result.updated) == (0, 6)
    assert Region.objects.count() == 6
    assert Region.objects.get(code="430624122208").name == "水山新村"
    assert Region.objects.get(code="430624122208").population == 1900


def test_dry_run_checks_without_writing(tmp_path):
    result = regions_import(
        actor=system_actor(), path=write_csv(tmp_path / "r.csv", ROWS), dry_run=True
    )
    assert result.errors == []
    assert Region.objects.count() == 0


def test_command_imports_the_bundled_county_file(capsys):
    call_command("import_regions", str(BUNDLED))
    assert "新增 237 个区划，更新 0 个" in capsys.readouterr().out
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 15
    assert Region.objects.filter(parent__code="430624122000").count() == 10
    call_command("import_regions", str(BUNDLED))
    assert "新增 0 个区划，更新 237 个" in capsys.readouterr().out


def test_command_reports_every_row_error_and_fails(tmp_path, capsys):
    rows = [
        *ROWS,
        ["430624122209", "孤村", "village", "430624999000", ""],
        ["12", "", "village", "430624122000", "-5"],
    ]
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_regions", str(write_csv(tmp_path / "r.csv", rows)))
    err = capsys.readouterr().err
    assert "第9行 code:" in err
    assert "第9行 name:" in err
    assert "第9行 population:" in err
    assert Region.objects.count() == 0


def test_command_dry_run_and_bad_files(tmp_path, capsys):
    call_command("import_regions", str(write_csv(tmp_path / "r.csv", ROWS)), "--dry-run")
    assert "校验通过" in capsys.readouterr().out
    assert Region.objects.count() == 0
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_regions", str(tmp_path / "missing.csv"))
    (tmp_path / "r.txt").write_text("x")
    with pytest.raises(CommandError):
        call_command("import_regions", str(tmp_path / "r.txt"))
    nameless = write_csv(tmp_path / "n.csv", [[r[0], r[2]] for r in ROWS], ["code", "level"])
    with pytest.raises(CommandError, match="name"):  # code and name are the columns required
        call_command("import_regions", str(nameless))


def test_command_exit_status(tmp_path, capsys, monkeypatch):
    """As the shell sees it: exit status 0 on success, 1 with the row named on a bad file.
    (``--skip-checks``: the system checks load every URLconf, which is not what is tested here;
    run_from_argv closes all connections when it ends, which would close the test database's.)"""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    bad = write_csv(tmp_path / "bad.csv", [*ROWS, ["1", "x", "village", "", ""]])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_regions", str(bad), "--skip-checks"]).execute()
    assert exited.value.code == 1
    assert "第8行 code:" in capsys.readouterr().err
    assert Region.objects.count() == 0
    good = write_csv(tmp_path / "good.csv", ROWS)
    ManagementUtility(["manage.py", "import_regions", str(good), "--skip-checks"]).execute()
    assert Region.objects.count() == 6


def test_imported_and_renamed_divisions_get_their_pinyin_sort_key(tmp_path):
    """Issue #16: the set-based merge writes names in SQL; their sort keys follow."""
    regions_import(actor=system_actor(), path=write_csv(tmp_path / "r.csv", ROWS))
    assert Region.objects.get(code="430624122201").name_key == "qing1 hu2 cun1"
    assert Region.objects.get(code="430624122208").name_key == "shui3 shan1 cun1"
    renamed = [*ROWS[:4], ["430624122201", "阿湖村", "village", "430624122000", ""], ROWS[5]]
    regions_import(actor=system_actor(), path=write_csv(tmp_path / "r2.csv", renamed))
    assert Region.objects.get(code="430624122201").name_key == "a1 hu2 cun1"
    assert Region.objects.get(code="430624122208").name_key == "shui3 shan1 cun1"
    assert not Region.objects.filter(name_key="").exists()
