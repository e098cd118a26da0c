"""The structure docs/architecture.md describes holds: no app reaches another through run-time
lookups, every installed app of ours has its place in the layers contract and in the document,
and the layers contract itself is kept (import-linter, also run by `make test`)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = [
    p
    for p in (ROOT / "fengqiao").rglob("*.py")
    if "tests" not in p.parts and "migrations" not in p.parts
]
HIDDEN = re.compile(r"\bimportlib\b|\bimport_module\b|inspect\.signature|__import__\(")


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    return list(contract["layers"])


def test_no_app_reaches_another_through_a_run_time_lookup():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in APP_CODE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HIDDEN.search(line)
    ]
    assert found == []


def test_every_app_is_in_the_layers_and_in_the_architecture_document():
    ours = [
        app.split(".apps.")[0]
        for app in settings.INSTALLED_APPS
        if app.startswith("fengqiao.") and ".tasks_app." not in app
    ]
    document = (ROOT / "docs" / "architecture.md").read_text()
    layers = _layers()
    assert sorted(ours) == sorted(layers)
    for app in ours:
        assert f"| `{app.removeprefix('fengqiao.')}` |" in document, app
    # the document lists them in the contract's order
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", document.split("## One dispute")[0], re.M)
    assert [f"fengqiao.{name}" for name in listed] == layers


def test_the_layers_and_file_cycles_contracts_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_channel_registers_through_the_one_intake_path():
    """Issue #12: the staff form, the API, every channel, the grid, the portal, patrols, imports
    and the demo register through ``intake.pipeline.register_dispute``; only it calls
    ``case_register``, and no app keeps its own submission writer."""
    register_calls = re.compile(r"\bcase_register\(")
    submission_writes = re.compile(r"IntakeSubmission(\.objects\.create|\()")
    writers = {
        str(path.relative_to(ROOT))
        for path in APP_CODE
        for line in path.read_text().splitlines()
        if register_calls.search(line) and not line.lstrip().startswith("def ")
    }
    assert writers == {"fengqiao/intake/pipeline.py"}
    submission_writers = {
        str(path.relative_to(ROOT))
        for path in APP_CODE
        for line in path.read_text().splitlines()
        if submission_writes.search(line) and "class IntakeSubmission" not in line
    }
    assert submission_writers == {"fengqiao/intake/pipeline.py"}


def _hits(pattern: re.Pattern[str], *, allowed: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in APP_CODE
        if str(path.relative_to(ROOT)) not in allowed
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def test_views_share_one_actor_helper_and_one_not_found_response():
    """``accounts.actor.request_actor`` and ``cases.responses.case_not_found``, not a copy each."""
    assert _hits(re.compile(r"^def _actor\(|^def _not_found\(")) == []


def test_service_errors_reach_forms_through_one_mapper():
    """``core.form_errors.form_error_status`` is the one place a service's field errors meet a
    form: a copy elsewhere drifts (one drops the message, one answers 409 for a refusal)."""
    copy = re.compile(r"add_error\(\s*\w+ if \w+ in \w+\.fields")
    assert _hits(copy, allowed=("fengqiao/core/form_errors.py",)) == []


def test_no_app_spells_its_own_jurisdiction_loop():
    """Reads narrow through ``access.within``/``access.scoped`` or ``regions.within_q``; a loop
    OR-ing ``__startswith`` per prefix outside ``regions/models.py`` is a second filter to drift."""
    found = []
    for path in APP_CODE:
        rel = str(path.relative_to(ROOT))
        if rel == "fengqiao/regions/models.py":
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            if re.match(r"\s*for \w+ in .*:\s*$", line) and any(
                "__startswith" in later for later in lines[number : number + 3]
            ):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []


def test_services_read_the_one_clock():
    """Every moment comes from ``core.clock`` (issue #12: the demo and the history import replay
    the past by setting the clock, not by patching ``timezone.now``): a direct read of real time
    would stamp today on a replayed event, and a patch in app code would leak into other threads."""
    direct = re.compile(
        r"timezone\.(now|localdate|localtime)\b(?!\(\w)|auto_now_add=|mock\.patch|unittest"
    )
    assert _hits(direct, allowed=("fengqiao/core/clock.py",)) == []


def test_transition_names_are_spelt_through_the_action_enum():
    """``cases.choices.Action`` is the one spelling of a transition name: a bare "acept" would
    be an "unknown action" at run time, ``Action.ACEPT`` is a mypy error (issue #12)."""
    from fengqiao.cases.choices import Action

    names = "|".join(sorted((a.value for a in Action), key=len, reverse=True))
    bare = re.compile(rf'"({names})"')
    found = [
        hit
        for hit in _hits(bare, allowed=("fengqiao/cases/choices.py",))
        # a form field called reopen and a URL called close: not the actions
        if '_add(errors, "reopen"' not in hit
        and "path(" not in hit
        and not re.search(r': [A-Z_]+ = "\w+"$', hit)  # another enum's member (Trend.DECLINE)
    ]
    assert found == []
