"""Backup and restore of everything the system holds: the database (PostgreSQL through pg_dump's
custom format, SQLite through its online backup API, both consistent while people work) and the
uploaded and generated files (MEDIA_ROOT, as a tar). A manifest records each file's sha256, so a
damaged or tampered backup is refused before anything is overwritten.

The personal-data keys are not in the backup on purpose: they are kept apart (docs/deployment.md),
so a stolen backup reveals no ID number or phone.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from fengqiao.core import clock

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Made:
    folder: Path
    files: dict[str, str]  # name → sha256


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    args += ["-U", db["USER"] or "postgres"]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def _database_out(folder: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        target = folder / "database.dump"
        name = connection.settings_dict["NAME"]
        _run(["pg_dump", *args, "-Fc", "--no-owner", "-f", str(target), name], env)
        return target.name
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    raise BackupError(f"no backup for the {connection.vendor} database")


def _media_out(folder: Path) -> str:
    target = folder / MEDIA
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    return target.name


def backup_make(destination: Path) -> Made:
    """Write a new dated folder under ``destination``; returns it with its manifest."""
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(destination) / f"fengqiao-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    try:
        names = [_database_out(folder), _media_out(folder)]
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    files = {name: _sha256(folder / name) for name in names}
    manifest: dict[str, Any] = {
        "made_at": clock.now().isoformat(),
        "database": connection.vendor,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return Made(folder, files)


def _verified(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable manifest in {folder}") from error
    if manifest.get("database") != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest.get('database')} database, this is {connection.vendor}"
        )
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.exists() or _sha256(path) != expected:
            raise BackupError(f"{name} is missing or damaged: nothing was restored")
    return manifest


def _database_in(folder: Path, name: str) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connections.close_all()
        db = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                db,
                str(folder / name),
            ],
            env,
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(folder / name) as source:
        source.backup(connection.connection)
    source.close()


def _media_in(folder: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    staging = media.with_name(media.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(staging, filter="data")  # no absolute paths, no links out
    restored = staging / "media"
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        media.rename(old)
    if restored.exists():
        restored.rename(media)
    else:
        media.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(folder: Path) -> dict[str, Any]:
    """Put the database and files back as the backup has them (after checking every sha256)."""
    folder = Path(folder)
    manifest = _verified(folder)
    database = next(name for name in manifest["files"] if name.startswith("database."))
    _database_in(folder, database)
    _media_in(folder)
    return manifest
