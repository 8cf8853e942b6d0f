"""The deployment's `collectstatic` step works with the production storage (found by bench/load.py:
the vendored Bootstrap files named source maps that are not shipped, and whitenoise's manifest
storage refused to collect them)."""
import json

from django.core.management import call_command


def test_collectstatic_with_the_production_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert (tmp_path / manifest["vendor/bootstrap/bootstrap.bundle.min.js"]).exists()
