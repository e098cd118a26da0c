"""Where a document's template is read from, and its version.

The shipped defaults live in ``templates/documents/{docx,pdf}/``. An administrator replaces any of
them by putting a file with the same relative name (``docx/agreement.docx``,
``pdf/agreement.html``, ``pdf/_base.html``…) in the folder named by the setting
``FENGQIAO_DOCUMENT_TEMPLATES_DIR``; that folder is looked in first, at every generation, so a
replaced file takes effect without a restart.

The version recorded with every generated document is the sha256 of the template files used,
prefixed ``override:`` when any came from the override folder: a printed copy can always be traced
to the exact template that produced it.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_DIR = Path(__file__).resolve().parent / "templates" / "documents"


def override_dir() -> Path | None:
    """The administrator's template folder, or None (read at call time, never cached)."""
    value = getattr(settings, "FENGQIAO_DOCUMENT_TEMPLATES_DIR", None)
    return Path(value) if value else None


@dataclass(frozen=True, slots=True)
class TemplateFile:
    name: str  # relative: "docx/agreement.docx"
    path: Path
    overridden: bool


def find(name: str) -> TemplateFile:
    """The file to use for ``name``: the override folder's if it has one, else the default.

    Raises:
        FileNotFoundError: neither folder has it.
    """
    custom = override_dir()
    if custom is not None and (custom / name).is_file():
        return TemplateFile(name, custom / name, True)
    default = DEFAULT_DIR / name
    if not default.is_file():
        raise FileNotFoundError(name)
    return TemplateFile(name, default, False)


def html_dirs() -> list[Path]:
    """Folders the HTML templates (and their ``{% extends %}``/``{% include %}``) load from."""
    custom = override_dir()
    dirs = [custom / "pdf"] if custom is not None and (custom / "pdf").is_dir() else []
    return [*dirs, DEFAULT_DIR / "pdf"]


def version(files: list[TemplateFile]) -> str:
    """sha256 over the names and bytes of ``files``; ``override:`` marks a replaced template."""
    digest = hashlib.sha256()
    for item in files:
        digest.update(item.name.encode())
        digest.update(b"\0")
        digest.update(item.path.read_bytes())
    prefix = "override:" if any(item.overridden for item in files) else ""
    return prefix + digest.hexdigest()
