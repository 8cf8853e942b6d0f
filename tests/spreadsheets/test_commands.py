"""manage.py import_indicators and export_indicators: the same code as the browser."""
import pytest
from django.core.management import CommandError, call_command

from indicators.models import Measurement, Target

from .conftest import csv_bytes


@pytest.fixture
def measurement_file(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_bytes([["Indicator code", "Period", "Value", "Evidence link", "So what?"],
                                ["fwi-n", "FY2014", "1,200", "https://example.org/a", "Shared with the partner"]]))
    return path


def test_dry_run_writes_nothing(chain_with_indicators, administrator, measurement_file, capsys):
    call_command("import_indicators", str(measurement_file), "--user", "admin1", "--dry-run")
    out = capsys.readouterr().out
    assert "Measurements from partner.csv: 1 new, 0 changed, 0 unchanged, 0 invalid." in out
    assert "Dry run: nothing was written." in out
    assert Measurement.objects.count() == 0


def test_import_detects_the_kind_and_is_idempotent(chain_with_indicators, administrator, measurement_file, capsys):
    call_command("import_indicators", str(measurement_file), "--user", "admin1")
    assert "Imported: 1 new, 0 changed, 0 unchanged." in capsys.readouterr().out
    m = Measurement.objects.get()
    assert (m.status, m.submitted_by, m.history.get().history_user) == ("submitted", administrator, administrator)
    call_command("import_indicators", str(measurement_file), "--user", "admin1")
    assert "Imported: 0 new, 0 changed, 1 unchanged." in capsys.readouterr().out
    assert m.history.count() == 1


def test_problems_are_listed_and_nothing_is_imported(chain_with_indicators, administrator, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_bytes(csv_bytes([["Indicator code", "Period", "Value"], ["FWI-N", "FY2014", "5"],
                                ["FWI-N", "FY2040", "5"]]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_indicators", str(path), "--user", "admin1", "--kind", "targets")
    err = capsys.readouterr().err
    assert "Row 3, column “Period”, value “FY2040”: FY2040 is outside Framework FWI" in err
    assert Target.objects.count() == 0


def test_only_administrators_may_import(chain_with_indicators, officer, measurement_file):
    with pytest.raises(CommandError, match="only administrators"):
        call_command("import_indicators", str(measurement_file), "--user", "officer1")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_indicators", str(measurement_file), "--user", "nobody")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_indicators", "/nonexistent.csv", "--user", "officer1")


def test_export_then_import_changes_nothing(chain_with_indicators, administrator, measurement_file, tmp_path, capsys):
    call_command("import_indicators", str(measurement_file), "--user", "admin1")
    capsys.readouterr()
    call_command("export_indicators", "measurements")
    exported = capsys.readouterr().out
    assert exported.splitlines()[0] == ("Indicator code,Period,Dimension,Dimension value,Value,Numerator,"
                                        "Denominator,Rating,"
                                        "Qualitative finding,Evidence link,Comment,So what?,Status")
    assert exported.splitlines()[1] == ("FWI-N,FY2014,,,1200,,,,,https://example.org/a,,Shared with the partner,"
                                        "submitted")
    out = tmp_path / "m.xlsx"
    call_command("export_indicators", "measurements", "--format", "xlsx", "--output", str(out))
    call_command("import_indicators", str(out), "--user", "admin1")
    assert "Imported: 0 new, 0 changed, 1 unchanged." in capsys.readouterr().out
