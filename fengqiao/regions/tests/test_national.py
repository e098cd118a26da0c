"""The statistical bureau's national table and its yearly updates: towns directly under a
prefecture-level city (东莞, 中山, 儋州, 嘉峪关), parents found from the codes, and a year's table
applied as a diff that renames, merges and abolishes while keeping every row and its history."""

from pathlib import Path

import pytest
from django.core.management import call_command

from fengqiao.accounts.services import system_actor
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region, RegionChange, RegionChangeKind
from fengqiao.regions.services import level_of_code, regions_import

pytestmark = pytest.mark.django_db

NBS_HEADER = ["统计用区划代码", "名称"]
# Two provinces; 东莞 and 中山 have no county level, 湘阴 is an ordinary county.
NATIONAL = [
    ["440000000000", "广东省"],
    ["441900000000", "东莞市"],
    ["441900003000", "东城街道"],
    ["441900003001", "东城社区"],
    ["441900101000", "石碣镇"],
    ["441900101001", "石碣社区"],
    ["442000000000", "中山市"],
    ["442000001000", "石岐街道"],
    ["442000001001", "石岐社区"],
    ["430000000000", "湖南省"],
    ["430600000000", "岳阳市"],
    ["430624000000", "湘阴县"],
    ["430624122000", "静河镇"],
    ["430624122201", "青湖村"],
]


def write(path: Path, rows: list[list[str]], header: list[str]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def test_levels_come_from_the_codes():
    assert [level_of_code(c) for c in ("440000000000", "441900000000", "430624000000")] == [1, 2, 3]
    assert [level_of_code(c) for c in ("441900003000", "441900003001")] == [4, 5]


def test_towns_directly_under_a_city_import_from_the_bureaus_format(tmp_path):
    result = regions_import(
        actor=system_actor(), path=write(tmp_path / "n.csv", NATIONAL, NBS_HEADER)
    )
    assert (result.created, result.errors) == (len(NATIONAL), [])
    town = Region.objects.get(code="441900003000")
    assert (town.level, town.parent.code, town.prefix) == (
        RegionLevel.TOWNSHIP,
        "441900000000",
        "441900003",
    )
    assert Region.objects.get(code="441900003001").parent == town
    assert Region.objects.get(code="442000001000").parent.code == "442000000000"
    # an ordinary county keeps its county level
    assert Region.objects.get(code="430624122000").parent.code == "430624000000"
    assert Region.objects.get(code="430624000000").parent.code == "430600000000"
    assert Region.objects.get(code="440000000000").parent is None
    dongguan = Region.objects.get(code="441900000000")
    assert dongguan.contains(Region.objects.get(code="441900101001"))


def test_an_explicit_city_parent_is_accepted_only_where_the_city_has_no_counties(tmp_path):
    header = ["code", "name", "level", "parent_code"]
    rows = [
        ["440000000000", "广东省", "province", ""],
        ["441900000000", "东莞市", "city", "440000000000"],
        ["441900003000", "东城街道", "township", "441900000000"],
        [
            "441901003000",
            "错挂街道",
            "township",
            "441900000000",
        ],  # county digits 01: needs a county
    ]
    result = regions_import(actor=system_actor(), path=write(tmp_path / "e.csv", rows, header))
    assert [(e.row, e.column) for e in result.errors] == [(5, "parent_code")]
    assert Region.objects.count() == 0
    result = regions_import(actor=system_actor(), path=write(tmp_path / "ok.csv", rows[:3], header))
    assert result.errors == []
    assert Region.objects.get(code="441900003000").parent.code == "441900000000"


def test_a_missing_parent_in_the_bureaus_format_names_the_row(tmp_path):
    rows = [*NATIONAL, ["430624999201", "无主村"]]  # its town 430624999000 is nowhere
    result = regions_import(actor=system_actor(), path=write(tmp_path / "n.csv", rows, NBS_HEADER))
    assert [(e.row, e.column) for e in result.errors] == [(len(rows) + 1, "parent_code")]
    assert "430624999000" in result.errors[0].message
    assert Region.objects.count() == 0


COUNTY_2024 = [
    ["430000000000", "湖南省"],
    ["430600000000", "岳阳市"],
    ["430624000000", "湘阴县"],
    ["430624122000", "静河镇"],
    ["430624122201", "青湖村"],
    ["430624122202", "共荣村"],
    ["430624122203", "湾河村"],
    ["430624122204", "石门村"],
]
NEIGHBOUR = [
    ["430000000000", "湖南省"],
    ["430600000000", "岳阳市"],
    ["430621000000", "岳阳县"],
    ["430621100000", "荣家湾镇"],
]


def test_a_yearly_table_renames_merges_and_abolishes_keeping_the_rows(tmp_path):
    regions_import(actor=system_actor(), path=write(tmp_path / "x.csv", NEIGHBOUR, NBS_HEADER))
    regions_import(
        actor=system_actor(), path=write(tmp_path / "a.csv", COUNTY_2024, NBS_HEADER), year=2024
    )
    header = [*NBS_HEADER, "并入代码"]
    rows_2025 = [
        *[[*r, ""] for r in COUNTY_2024[:4]],
        ["430624122201", "青湖新村", ""],  # renamed
        ["430624122202", "共荣村", "430624122201"],  # merged into 青湖新村
        # 430624122203 湾河村 is no longer listed: abolished
        ["430624122204", "石门村", ""],
        ["430624122205", "新设社区", ""],  # created
    ]
    result = regions_import(
        actor=system_actor(), path=write(tmp_path / "b.csv", rows_2025, header), year=2025
    )
    assert result.errors == []
    assert (result.created, result.renamed, result.merged, result.abolished) == (1, 1, 1, 1)
    assert Region.objects.filter(code__startswith="4306241222").count() == 5  # nothing deleted
    merged = Region.objects.get(code="430624122202")
    assert (merged.abolished_in, merged.successor.code) == (2025, "430624122201")
    assert Region.objects.get(code="430624122203").abolished_in == 2025
    assert Region.objects.get(code="430624122201").name == "青湖新村"
    assert Region.objects.get(code="430624122204").abolished_in is None
    # the neighbouring county is outside the county table's scope: untouched
    assert not Region.objects.filter(code__startswith="430621", abolished_in__isnull=False).exists()
    assert not Region.objects.filter(level__lte=3, abolished_in__isnull=False).exists()
    history = {
        (c.region.code, c.kind): c
        for c in RegionChange.objects.filter(year=2025).select_related("region")
    }
    renamed = history[("430624122201", RegionChangeKind.RENAMED)]
    assert (renamed.old_name, renamed.new_name) == ("青湖村", "青湖新村")
    assert history[("430624122202", RegionChangeKind.MERGED)].successor.code == "430624122201"
    assert ("430624122203", RegionChangeKind.ABOLISHED) in history
    assert ("430624122205", RegionChangeKind.CREATED) in history
    assert len(history) == 4

    # listed again the year after: current again, and that too is history
    rows_2026 = [*[[*r, ""] for r in COUNTY_2024], ["430624122205", "新设社区", ""]]
    result = regions_import(
        actor=system_actor(), path=write(tmp_path / "c.csv", rows_2026, header), year=2026
    )
    assert result.restored == 2
    assert Region.objects.get(code="430624122203").abolished_in is None
    assert Region.objects.get(code="430624122202").successor is None
    assert RegionChange.objects.filter(year=2026, kind=RegionChangeKind.RESTORED).count() == 2


def test_without_a_year_nothing_is_abolished(tmp_path):
    regions_import(actor=system_actor(), path=write(tmp_path / "a.csv", COUNTY_2024, NBS_HEADER))
    regions_import(
        actor=system_actor(), path=write(tmp_path / "b.csv", COUNTY_2024[:5], NBS_HEADER)
    )
    assert not Region.objects.filter(abolished_in__isnull=False).exists()


def test_a_merge_into_an_unknown_division_stores_nothing(tmp_path):
    header = [*NBS_HEADER, "并入代码"]
    rows = [*[[*r, ""] for r in COUNTY_2024[:5]], ["430624122202", "共荣村", "430624122299"]]
    result = regions_import(
        actor=system_actor(), path=write(tmp_path / "m.csv", rows, header), year=2025
    )
    assert [(e.row, e.column) for e in result.errors] == [(7, "successor_code")]
    assert Region.objects.count() == 0


def test_command_takes_the_year_and_reports_the_changes(tmp_path, capsys):
    call_command(
        "import_regions", str(write(tmp_path / "a.csv", COUNTY_2024, NBS_HEADER)), "--year", "2024"
    )
    capsys.readouterr()
    call_command(
        "import_regions",
        str(write(tmp_path / "b.csv", COUNTY_2024[:7], NBS_HEADER)),
        "--year",
        "2025",
    )
    out = capsys.readouterr().out
    assert "撤销 1 个" in out
    assert "历史已保留" in out


def test_a_gbk_table_streams_like_a_utf8_one(tmp_path):
    path = tmp_path / "gbk.csv"
    text = "\n".join(",".join(r) for r in [NBS_HEADER, *NATIONAL]) + "\n"
    path.write_bytes(text.encode("gbk"))
    result = regions_import(actor=system_actor(), path=path)
    assert (result.created, result.errors) == (len(NATIONAL), [])
    assert Region.objects.get(code="441900003000").name == "东城街道"
