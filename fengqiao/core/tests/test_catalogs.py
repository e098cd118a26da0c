"""Issue #21: Django merges every catalog of a language into one (LOCALE_PATHS first, then the apps
in INSTALLED_APPS order), so a msgid translated differently in two catalogs shows one of the two
words everywhere and the other app silently says the wrong thing. A msgid that means different
things in different places takes a context (pgettext, ``{% translate "x" context "y" %}``); one that
means the same takes the same words in every catalog.

The committed .mo files are what runs, so they must also be what the .po files say:
``compilemessages`` skips a .po whose .mo is newer, which is how entries deleted from a .po lived on
in its .mo."""

import collections
import gettext
import pathlib
import shutil
import subprocess

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = pathlib.Path(settings.BASE_DIR)
OURS = ROOT / "fengqiao"
Key = str | tuple[str, int]


def _catalog(mo: pathlib.Path) -> dict[Key, str]:
    with mo.open("rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}  # type: ignore[attr-defined]


def _name(mo: pathlib.Path) -> str:
    """fengqiao/mediation for fengqiao/mediation/locale/<lang>/LC_MESSAGES/django.mo."""
    return str(mo.parents[3].relative_to(ROOT))


def _show(key: Key) -> str:
    msgid, form = (key, None) if isinstance(key, str) else key
    context, _, msgid = msgid.rpartition("\x04")
    return (
        repr(msgid)
        + (f" (context {context!r})" if context else "")
        + (f" [plural form {form}]" if form is not None else "")
    )


def _ours_by_language() -> dict[str, list[pathlib.Path]]:
    by_language = collections.defaultdict(list)
    for mo in sorted(OURS.rglob("locale/*/LC_MESSAGES/django.mo")):
        by_language[mo.parents[1].name].append(mo)
    return by_language


def test_there_are_catalogs_to_check():
    assert len(_ours_by_language().get("zh_Hans", [])) > 10


@pytest.mark.parametrize("language", sorted(_ours_by_language()))
def test_no_msgid_is_translated_differently_in_two_catalogs(language):
    seen: dict[Key, dict[str, str]] = collections.defaultdict(dict)
    for mo in _ours_by_language()[language]:
        for key, text in _catalog(mo).items():
            seen[key][_name(mo)] = text
    conflicts = [
        f"{_show(key)}: " + "; ".join(f"{name} {text}" for name, text in sorted(where.items()))
        for key, where in sorted(seen.items(), key=lambda kv: str(kv[0]))
        if len(set(where.values())) > 1
    ]
    assert conflicts == [], "\n".join(conflicts)


@pytest.mark.parametrize("language", sorted(_ours_by_language()))
def test_no_installed_app_overrides_one_of_our_translations(language):
    """An installed app listed before ours (django.contrib.admin …) wins over our app catalogs
    (only LOCALE_PATHS wins over it): patrols' 'History' read 历史, mediation's 'Sessions' 会话."""
    project = {
        key
        for path in settings.LOCALE_PATHS
        if (pathlib.Path(path) / language / "LC_MESSAGES" / "django.mo").exists()
        for key in _catalog(pathlib.Path(path) / language / "LC_MESSAGES" / "django.mo")
    }
    earlier: list[tuple[str, dict[Key, str]]] = []
    conflicts = []
    for config in apps.get_app_configs():
        mo = pathlib.Path(config.path) / "locale" / language / "LC_MESSAGES" / "django.mo"
        if not mo.exists():
            continue
        catalog = _catalog(mo)
        if config.name.startswith("fengqiao."):
            for other, theirs in earlier:
                conflicts += [
                    f"{_show(key)}: {config.name} {text}, but {other} {theirs[key]} wins"
                    for key, text in sorted(catalog.items(), key=lambda kv: str(kv[0]))
                    if key in theirs and theirs[key] != text and key not in project
                ]
        else:
            earlier.append((config.name, catalog))
    assert conflicts == [], "\n".join(conflicts)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_every_mo_is_compiled_from_its_po(tmp_path):
    stale = []
    pos = sorted(OURS.rglob("locale/*/LC_MESSAGES/django.po"))
    assert pos
    for i, po in enumerate(pos):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            stale.append(f"{po.relative_to(ROOT)}: no .mo")
            continue
        fresh = tmp_path / f"{i}.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", fresh, po], check=True)  # noqa: S607
        want, have = _catalog(fresh), _catalog(mo)
        if want != have:
            differ = sorted(
                (_show(k) for k in want.keys() | have.keys() if want.get(k) != have.get(k)),
            )
            stale.append(f"{mo.relative_to(ROOT)}: {len(differ)} entries differ, e.g. {differ[:3]}")
    assert stale == [], "run manage.py compilemessages (touch the .po first):\n" + "\n".join(stale)


KEYWORDS = [  # what makemessages hands xgettext for the "django" domain
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def _source_msgids(tmp_path: pathlib.Path) -> set[str]:
    """Every msgid (as "context\x04msgid" when it has one) the code and templates translate."""
    files = []
    for path in sorted(OURS.rglob("*")):
        parts = set(path.relative_to(OURS).parts)
        if parts & {"tests", "migrations", "static", "locale", "__pycache__"} or not path.is_file():
            continue
        if path.suffix == ".py":
            files.append(path)
        elif path.suffix in {".html", ".txt"}:
            out = tmp_path / "templates" / f"{path.relative_to(OURS)}.py"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(templatize(path.read_text(), origin=str(path)))
            files.append(out)
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(map(str, files)))
    pot, en_po, en_mo = tmp_path / "source.pot", tmp_path / "en.po", tmp_path / "en.mo"
    run = {"check": True, "capture_output": True}
    subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", *KEYWORDS, "-f", listing, "-o", pot],  # noqa: S607
        **run,
    )
    header = pot.read_text().replace("charset=CHARSET", "charset=UTF-8")
    pot.write_text(
        header.replace("nplurals=INTEGER; plural=EXPRESSION", "nplurals=2; plural=n != 1")
    )
    subprocess.run(["msgen", "-o", en_po, pot], **run)  # noqa: S607
    subprocess.run(["msgfmt", "-o", en_mo, en_po], **run)  # noqa: S607
    return {k if isinstance(k, str) else k[0] for k in _catalog(en_mo)}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_msgid_the_code_uses_has_chinese(tmp_path):
    """A .po that loses an entry (the notification strings lived on only in a stale .mo of
    supervision) shows English on a Chinese page."""
    with translation.override("zh-hans"):
        merged = translation.trans_real.translation("zh-hans")._catalog  # type: ignore[attr-defined]
        known = {k if isinstance(k, str) else k[0] for k in merged.keys()}  # noqa: SIM118  no __iter__
    missing = sorted(_show(k) for k in _source_msgids(tmp_path) - known)
    assert missing == [], "\n".join(missing)
