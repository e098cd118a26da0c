"""Issue #17: an upload is refused by its size, unpacked size and rows before it is parsed,
with a Chinese error, instead of holding a worker for minutes and ending in an English 500."""

import zipfile

import pytest
from django.utils import translation

from fengqiao.core.exceptions import InvalidInput
from fengqiao.core.tabular import read_rows

HEADERS = {"名称": "name"}


def _rows(path):
    return list(read_rows(path, HEADERS))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, settings, monkeypatch):
    settings.FENGQIAO_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    assert bomb.stat().st_size < 100 * 1024

    def never(*args, **kwargs):
        raise AssertionError("the parser was reached")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        _rows(bomb)
    assert "解压后超过 1 MB" in refused.value.errors["file"][0]


def test_too_many_rows_are_refused(tmp_path, settings):
    settings.FENGQIAO_IMPORT_MAX_ROWS = 5
    sheet = tmp_path / "many.csv"
    sheet.write_text("名称\n" + "".join(f"村{n}\n" for n in range(6)), encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        _rows(sheet)
    assert "超过 5 行" in refused.value.errors["file"][0]
    sheet.write_text("名称\n" + "".join(f"村{n}\n" for n in range(5)), encoding="utf-8")
    assert len(_rows(sheet)) == 5


def test_a_file_too_large_is_refused_unread(tmp_path, settings):
    settings.FENGQIAO_IMPORT_MAX_BYTES = 1024
    sheet = tmp_path / "big.csv"
    sheet.write_text("名称\n" + "村\n" * 2000, encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        _rows(sheet)
    assert refused.value.errors["file"][0].startswith("文件超过")
