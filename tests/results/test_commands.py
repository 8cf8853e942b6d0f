import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from results.models import Result
from results.selectors import trees_problems


def test_check_trees_reports_healthy_trees(seeded_chains):
    out = StringIO()
    call_command("check_trees", stdout=out)
    assert "All results trees are consistent." in out.getvalue()


def test_check_trees_finds_corruption_and_rebuilds(seeded_chains):
    # Simulate what a concurrent or bulk write does to nested-set numbers.
    Result.objects.filter(code="CORP-OUT-2").update(lft=3, rght=4)
    problems = trees_problems()
    assert any("CORP-OUT-2" in p for p in problems)
    out = StringIO()
    with pytest.raises(CommandError, match=r"problem\(s\) found"):
        call_command("check_trees", stdout=out)
    out = StringIO()
    call_command("check_trees", "--rebuild", stdout=out)
    assert "Rebuilding" in out.getvalue()
    assert "All results trees are consistent." in out.getvalue()
    assert trees_problems() == []


def test_check_trees_finds_wrong_depth(seeded_chains):
    Result.objects.filter(code="SEC-IO").update(mptt_level=5)
    assert any("SEC-IO: depth 5" in p for p in trees_problems())


def test_load_chains_bad_file_is_refused_whole(db, tmp_path):
    bad = {
        "frameworks": [{"code": "X", "name": "X chain", "kind": "corporate", "results": [
            {"code": "X-IMP", "level": 1, "statement": "Impact", "children": [
                {"code": "X-OUT", "level": 4, "statement": "Skips levels"}]}]}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(CommandError, match="exactly one level below"):
        call_command("load_chains", str(path))
    assert not Result.objects.exists()  # nothing half-written


def test_load_chains_unreadable_file(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_chains", str(path))


def test_create_demo_users_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only created when DEBUG is on"):
        call_command("create_demo_users")


def test_create_demo_users_one_per_role(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    from django.contrib.auth import authenticate
    for username, role in [("officer", "M&E officer"), ("manager", "M&E manager"),
                           ("committee", "Executive Committee"), ("admin", "Administrator")]:
        user = authenticate(username=username, password=f"{username}-demo")
        assert user is not None and list(user.groups.values_list("name", flat=True)) == [role]
        assert f"username {username}" in out.getvalue()
