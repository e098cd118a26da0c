"""Backup and restore as an operator runs them: commands in their own processes on a scratch
database (SQLite, or PostgreSQL when the suite runs there). Back up, change rows and files,
restore, and both are as they were; a damaged backup restores nothing; restore wants --yes."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "from fengqiao.regions.models import Region; "
    "print(sorted(Region.objects.values_list('name', flat=True)))"
)


@pytest.fixture
def scratch(tmp_path) -> Iterator[dict[str, str]]:
    outer = os.environ.get("DATABASE_URL", "")
    if outer.startswith("postgres"):
        import psycopg

        name = f"fq_backup_{uuid.uuid4().hex[:8]}"
        admin = outer.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        url = outer.rsplit("/", 1)[0] + "/" + name
    else:
        name, url = "", f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test",
        "DATABASE_URL": url,
        "FENGQIAO_TEST_MEDIA_ROOT": str(tmp_path / "media"),
    }
    yield env
    if name:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _region(env: dict[str, str], code: str, name: str) -> None:
    _manage(
        env,
        "shell",
        "-c",
        f"from fengqiao.regions.models import Region; Region.objects.create(code='{code}', "
        f"name='{name}', level=3)",
    )


def test_a_restore_brings_back_the_rows_and_the_files(scratch, tmp_path):
    media = tmp_path / "media" / "evidence"
    _manage(scratch, "migrate", "--no-input", "-v", "0")
    _region(scratch, "430624000000", "湘阴县")
    media.mkdir(parents=True)
    (media / "photo.jpg").write_bytes(b"\xff\xd8 before")
    out = _manage(scratch, "backup", str(tmp_path / "backups"))
    assert "sha256" in out
    folder = next((tmp_path / "backups").iterdir())

    _region(scratch, "430625000000", "备份后新增")
    (media / "photo.jpg").write_bytes(b"changed")
    (media / "new.jpg").write_bytes(b"new")
    assert "备份后新增" in _manage(scratch, "shell", "-c", SHOW)

    _manage(scratch, "restore", str(folder), "--yes")
    assert _manage(scratch, "shell", "-c", SHOW).strip().splitlines()[-1] == "['湘阴县']"
    assert (media / "photo.jpg").read_bytes() == b"\xff\xd8 before"
    assert not (media / "new.jpg").exists()


def test_a_damaged_backup_restores_nothing_and_restore_wants_yes(scratch, tmp_path):
    _manage(scratch, "migrate", "--no-input", "-v", "0")
    _region(scratch, "430624000000", "湘阴县")
    _manage(scratch, "backup", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    _region(scratch, "430625000000", "之后新增")
    database = next(folder.glob("database.*"))
    with database.open("ab") as handle:
        handle.write(b"tampered")
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder), "--yes"],
        cwd=ROOT,
        env=scratch,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "damaged" in done.stderr
    assert "之后新增" in _manage(scratch, "shell", "-c", SHOW)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))
