"""Bounds an uploaded spreadsheet must keep before anything parses it: its size on disk, for an
.xlsx the unpacked size of its zip members (a 5.7 MB zip bomb unpacked to 2 GB and held a worker
for 120 s, issue #17), and the number of rows, counted while reading. Errors are Chinese and
name the file, as every import error does."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from fengqiao.core.exceptions import InvalidInput


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int


def default_limits() -> Limits:
    """FENGQIAO_IMPORT_MAX_BYTES / _MAX_UNPACKED_BYTES / _MAX_ROWS, read when used."""
    return Limits(
        max_bytes=int(getattr(settings, "FENGQIAO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)),
        max_unpacked_bytes=int(
            getattr(settings, "FENGQIAO_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
        ),
        max_rows=int(getattr(settings, "FENGQIAO_IMPORT_MAX_ROWS", 50_000)),
    )


def _refuse(path: Path, message: str) -> InvalidInput:
    return InvalidInput(message, errors={"file": [message]})


def check_file(path: Path, limits: Limits | None = None) -> None:
    """Refuse a file over the size limits before it is opened by a parser.

    Raises:
        InvalidInput: too large on disk, or an .xlsx that unpacks to too much or is no zip.
    """
    limits = limits or default_limits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _refuse(
            path,
            gettext("The file is larger than {mb} MB.").format(
                mb=round(limits.max_bytes / 2**20, 1)
            ),
        )
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            # The central directory's declared sizes: read without unpacking anything.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _refuse(path, gettext("The spreadsheet cannot be read.")) from None
    if unpacked > limits.max_unpacked_bytes:
        raise _refuse(
            path,
            gettext("The spreadsheet unpacks to more than {mb} MB.").format(
                mb=limits.max_unpacked_bytes // 2**20
            ),
        )


def check_row(number: int, path: Path, limits: Limits | None = None) -> None:
    """Refuse row ``number`` (1-based, the header is row 1) past the row limit.

    Raises:
        InvalidInput: the file has more rows than allowed.
    """
    limits = limits or default_limits()
    if number > limits.max_rows + 1:
        raise _refuse(
            path,
            gettext("The file has more than {n} rows; split it into smaller files.").format(
                n=limits.max_rows
            ),
        )
