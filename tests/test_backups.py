"""backup and restore round-trip the whole record, on SQLite and on PostgreSQL."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from results.models import Alignment, Result


def snapshot():
    return (
        sorted(Result.objects.values_list("code", "statement", "lft", "rght", "parent__code")),
        sorted(Alignment.objects.values_list("source__code", "target__code", "relation")),
    )


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    call_command("load_chains", verbosity=0)
    evidence = Path(settings.MEDIA_ROOT) / "evidence" / "report.txt"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_text("Field report")
    before = snapshot()

    out = StringIO()
    call_command("backup", "--to", str(tmp_path), stdout=out)
    folder = Path(out.getvalue().strip().rsplit(" ", 1)[-1])
    assert (folder / "manifest.json").exists()

    # Damage: a statement rewritten, an edge lost, evidence deleted.
    Result.objects.filter(code="CORP-OC").update(statement="Overwritten by mistake")
    Alignment.objects.filter(source__code="SEC-OC").delete()
    evidence.unlink()
    assert snapshot() != before

    call_command("restore", str(folder), "--yes", stdout=StringIO())
    assert snapshot() == before
    assert evidence.read_text() == "Field report"


def test_restore_refuses_a_folder_that_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="is not a backup folder"):
        call_command("restore", str(tmp_path), "--yes")


def test_restore_asks_for_confirmation(db, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed."):
        call_command("restore", str(tmp_path))
