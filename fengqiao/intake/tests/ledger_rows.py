"""Rows of an office's ledger for the history-import tests (issue #21 item 7): one dispute of an
earlier year at 静河村, and the file and import around it."""

from datetime import date

from openpyxl import Workbook

from fengqiao.core import clock
from fengqiao.intake.spreadsheet import COLUMNS, cases_import

HEADER = [header for header, _name, _required in COLUMNS]
YEAR = clock.today().year - 2
REGISTERED, CONCLUDED = date(YEAR, 3, 5), date(YEAR, 4, 10)


def row(**values):
    base = {
        "标题": "宅基地边界纠纷",
        "纠纷概况": "两户因界址争执。",
        "纠纷类别": "房屋宅基地纠纷",
        "发生地": "静河村",
        "发生日期": f"{YEAR}-03-01",
        "申请人": "张三",
        "申请人电话": "13800138000",
        "被申请人": "李四",
    }
    base.update(values)
    return [base.get(header, "") for header in HEADER]


def closed(**values):
    """A case mediated successfully by 王调解: registered 3-05, concluded 4-10."""
    given = {
        "登记日期": REGISTERED.isoformat(),
        "调解员": "王调解",
        "办理结果": "调解成功",
        "协议形式": "书面",
        "协议内容": "李四拆除越界围墙，赔偿张三2000元",
        "协议金额": "2000",
        "履行情况": "已履行",
        "办结日期": CONCLUDED.isoformat(),
    }
    return row(**{**given, **values})


def xlsx(tmp_path, rows):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for values in rows:
        workbook.active.append(values)
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    return path


def import_rows(tmp_path, actor, org, rows):
    return cases_import(
        actor=actor, org_id=org.pk, path=xlsx(tmp_path, rows), batch={"import": 7, "file": "x"}
    )
