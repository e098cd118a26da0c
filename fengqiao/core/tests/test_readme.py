"""Issue #21: the README's curl example returned 400 (Chinese in the URL, not encoded) and it did
not say where the demo portal's verification code appears."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def test_no_url_in_a_command_carries_unencoded_chinese():
    urls = re.findall(r"https?://[^\s\"'\\]+", README)
    assert urls
    assert [u for u in urls if not u.isascii()] == []


def test_it_says_where_the_demo_sms_code_appears():
    """The console backend logs no code (issue #17), so the README names the file it goes to,
    and that is where the demo's settings send it."""
    from django.conf import settings

    assert "verification" in README
    assert "written to `var/sms-outbox.jsonl`" in README
    assert settings.FENGQIAO_SMS_FILE.endswith("var/sms-outbox.jsonl")
    dev = (Path(__file__).resolve().parents[2] / "settings" / "dev.py").read_text(encoding="utf-8")
    assert '"fengqiao.notifications.sms.FileBackend"' in dev
