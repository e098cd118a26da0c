"""Static files under hashed names, compressed, cached for a year (#16: 7 days under plain
names, so a deploy served stale CSS and JS, and the 1.1 MB chart library went uncompressed)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, override_settings

from fengqiao.settings import base

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def collected(tmp_path):
    source, target = tmp_path / "src", tmp_path / "static"
    (source / "js").mkdir(parents=True)
    (source / "js" / "chart.js").write_text("var chart = 'figures';\n" * 20_000)
    with override_settings(
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATIC_ROOT=target,
        STORAGES={**settings.STORAGES, "staticfiles": base.STORAGES["staticfiles"]},
        WHITENOISE_USE_FINDERS=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield target


def test_production_storage_hashes_and_compresses():
    assert base.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in base.MIDDLEWARE


@pytest.mark.django_db
def test_pages_link_hashed_names_served_compressed_with_a_years_cache(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = manifest["js/chart.js"]
    assert hashed.startswith("js/chart.")
    assert hashed != "js/chart.js"
    plain_size = (collected / hashed).stat().st_size
    assert (collected / (hashed + ".gz")).stat().st_size < plain_size / 10
    assert (collected / (hashed + ".br")).stat().st_size < plain_size / 10
    url = Template('{% load static %}{% static "js/chart.js" %}').render(Context())
    assert url == "/static/" + hashed

    response = Client().get(url, headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    plain = Client().get("/static/js/chart.js")
    assert plain.status_code == 200
    assert "max-age=3600" in plain["Cache-Control"]


def test_nginx_caches_only_hashed_names_for_long():
    conf = (ROOT / "deploy" / "nginx" / "fengqiao.conf").read_text()
    assert "expires 7d" not in conf
    assert "gzip_static on" in conf
    assert "max-age=31536000, immutable" in conf
