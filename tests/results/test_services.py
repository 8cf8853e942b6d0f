"""The tree rules (DESIGN.md section 2) enforced by the results services, each with its message."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from results import services
from results.levels import Level
from results.models import Alignment, BusinessLine, Result, ResultsFramework
from results.selectors import trees_problems


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


class TestResultCreate:
    def test_builds_a_chain_in_tree_order(self, make_chain):
        chain = make_chain(code="T", outputs=3)
        codes = list(Result.objects.filter(framework=chain["framework"]).order_by("lft").values_list("code", flat=True))
        assert codes == ["T-IMP", "T-OC", "T-IO", "T-OUT-1", "T-OUT-2", "T-OUT-3"]
        assert trees_problems() == []

    def test_code_is_normalised(self, make_chain):
        chain = make_chain(code="N")
        out = services.result_create(framework=chain["framework"], parent=chain["io"], level=Level.OUTPUT,
                                     code="  n-out-x ", statement="  An output  ")
        assert out.code == "N-OUT-X" and out.statement == "An output"

    def test_child_must_sit_exactly_one_level_below(self, make_chain):
        chain = make_chain(code="L")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], parent=chain["outcome"], level=Level.OUTPUT,
                                   code="L-BAD", statement="Skips a level")
        assert "must be an Intermediate Outcome, exactly one level below it, not an Output" in messages_of(exc)
        assert not Result.objects.filter(code="L-BAD").exists()

    def test_only_the_impact_is_a_root(self, make_chain):
        chain = make_chain(code="R")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], level=Level.OUTCOME, code="R-OC2",
                                   statement="Orphan outcome")
        assert "An Outcome needs a parent result one level above it" in messages_of(exc)

    def test_one_impact_per_framework(self, make_chain):
        chain = make_chain(code="ONE")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], level=Level.IMPACT, code="ONE-IMP2",
                                   statement="A second impact")
        assert "already has its Impact (ONE-IMP)" in messages_of(exc)

    def test_parent_from_another_framework_is_refused(self, make_chain):
        a, b = make_chain(code="A"), make_chain(code="B")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=a["framework"], parent=b["io"], level=Level.OUTPUT,
                                   code="A-OUT-X", statement="Crosses frameworks")
        assert "The parent B-IO belongs to Framework B" in messages_of(exc)

    def test_activity_has_no_children(self, make_chain):
        chain = make_chain(code="ACT", outputs=1, activities_per_output=1)
        activity = Result.objects.get(code="ACT-ACT-1-1")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], parent=activity, level=Level.ACTIVITY,
                                   code="ACT-DEEP", statement="Too deep")
        assert "is an Activity, the lowest level" in messages_of(exc)

    def test_business_line_only_for_outputs_and_activities(self, make_chain):
        chain = make_chain(code="BL")
        line = services.business_line_create(code="CP", name="Country Programmes")
        with pytest.raises(ValidationError) as exc:
            services.result_update(result=chain["outcome"], business_line=line)
        assert "Only outputs and activities belong to a business line" in messages_of(exc)
        out = services.result_update(result=chain["outputs"][0], business_line=line)
        assert out.business_line == line

    def test_duplicate_code_is_refused(self, make_chain):
        chain = make_chain(code="DUP")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], parent=chain["io"], level=Level.OUTPUT,
                                   code="dup-out-1", statement="Same code")
        assert "code" in exc.value.message_dict

    def test_bad_code_characters_are_refused(self, make_chain):
        chain = make_chain(code="BC")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], parent=chain["io"], level=Level.OUTPUT,
                                   code="BC OUT <1>", statement="Spaces and brackets")
        assert "Use capital letters, digits" in messages_of(exc)

    def test_empty_statement_is_refused(self, make_chain):
        chain = make_chain(code="ES")
        with pytest.raises(ValidationError) as exc:
            services.result_create(framework=chain["framework"], parent=chain["io"], level=Level.OUTPUT,
                                   code="ES-OUT-9", statement="   ")
        assert "statement" in exc.value.message_dict


class TestResultUpdateMoveDelete:
    def test_level_of_a_result_with_children_cannot_change(self, make_chain):
        chain = make_chain(code="LV")
        with pytest.raises(ValidationError) as exc:
            services.result_update(result=chain["io"], level=Level.OUTPUT)
        assert "has children" in messages_of(exc) or "exactly one level below" in messages_of(exc)
        assert Result.objects.get(code="LV-IO").level == Level.INTERMEDIATE_OUTCOME

    def test_update_refuses_unknown_fields(self, make_chain):
        chain = make_chain(code="UF")
        with pytest.raises(TypeError):
            services.result_update(result=chain["io"], parent=None)

    def test_move_output_to_another_intermediate_outcome(self, make_chain):
        chain = make_chain(code="MV", outputs=2)
        io2 = services.result_create(framework=chain["framework"], parent=chain["outcome"],
                                     level=Level.INTERMEDIATE_OUTCOME, code="MV-IO-2", statement="Second IO", order=5)
        moved = services.result_move(result=chain["outputs"][0], parent=io2, order=1)
        assert moved.parent == io2
        io2.refresh_from_db()  # nested-set numbers moved in the database
        assert list(io2.get_children().values_list("code", flat=True)) == ["MV-OUT-1"]
        assert trees_problems() == []

    def test_move_to_wrong_level_is_refused_and_tree_unchanged(self, make_chain):
        chain = make_chain(code="MW", outputs=2)
        before = list(Result.objects.order_by("pk").values_list("code", "lft", "rght", "parent_id"))
        with pytest.raises(ValidationError) as exc:
            services.result_move(result=chain["outputs"][0], parent=chain["outcome"])
        assert "exactly one level below" in messages_of(exc)
        assert list(Result.objects.order_by("pk").values_list("code", "lft", "rght", "parent_id")) == before

    def test_move_to_another_framework_is_refused(self, make_chain):
        a, b = make_chain(code="MA"), make_chain(code="MB")
        with pytest.raises(ValidationError) as exc:
            services.result_move(result=a["outputs"][0], parent=b["io"])
        assert "belongs to Framework MB" in messages_of(exc)

    def test_reorder_siblings(self, make_chain):
        chain = make_chain(code="RO", outputs=3)
        services.result_move(result=chain["outputs"][2], parent=chain["io"], order=0)
        assert list(chain["io"].get_children().values_list("code", flat=True)) == ["RO-OUT-3", "RO-OUT-1", "RO-OUT-2"]
        assert trees_problems() == []

    def test_place_beside_a_sibling_renumbers_order(self, make_chain):
        chain = make_chain(code="PL", outputs=3)
        services.result_place(result=chain["outputs"][2], target=chain["outputs"][0], position="left")
        children = list(chain["io"].get_children().values_list("code", "order"))
        assert children == [("PL-OUT-3", 1), ("PL-OUT-1", 2), ("PL-OUT-2", 3)]
        assert trees_problems() == []

    def test_place_under_wrong_level_is_refused(self, make_chain):
        chain = make_chain(code="PW", outputs=2)
        with pytest.raises(ValidationError):
            services.result_place(result=chain["outputs"][1], target=chain["outputs"][0], position="last-child")
        assert trees_problems() == []

    def test_delete_leaf(self, make_chain):
        chain = make_chain(code="DL", outputs=2)
        services.result_delete(result=chain["outputs"][1])
        assert not Result.objects.filter(code="DL-OUT-2").exists()
        assert trees_problems() == []

    def test_delete_with_children_is_refused(self, make_chain):
        chain = make_chain(code="DC")
        with pytest.raises(ValidationError) as exc:
            services.result_delete(result=chain["io"])
        assert "still has results below it (DC-OUT-1, DC-OUT-2)" in messages_of(exc)


class TestAlignments:
    def test_alignment_across_frameworks(self, make_chain):
        corp, sec = make_chain(code="C1"), make_chain(code="S1", kind=ResultsFramework.Kind.SECRETARIAT)
        edge = services.alignment_create(source=sec["outcome"], target=corp["io"], note="Seeds")
        assert str(edge) == "S1-OC aligns to C1-IO"

    def test_alignment_within_a_framework_is_refused(self, make_chain):
        chain = make_chain(code="W1")
        with pytest.raises(ValidationError) as exc:
            services.alignment_create(source=chain["outputs"][0], target=chain["io"])
        assert "are both in Framework W1" in messages_of(exc)

    def test_duplicate_alignment_is_refused(self, make_chain):
        corp, sec = make_chain(code="C2"), make_chain(code="S2")
        services.alignment_create(source=sec["io"], target=corp["outputs"][0])
        with pytest.raises(ValidationError) as exc:
            services.alignment_create(source=sec["io"], target=corp["outputs"][0])
        assert "S2-IO already aligns to C2-OUT-1" in messages_of(exc)
        assert Alignment.objects.count() == 1

    def test_cycle_between_frameworks_is_refused(self, make_chain):
        a, b, c = make_chain(code="CA"), make_chain(code="CB"), make_chain(code="CC")
        services.alignment_create(source=a["io"], target=b["io"])
        services.alignment_create(source=b["outcome"], target=c["outcome"])
        with pytest.raises(ValidationError) as exc:
            services.alignment_create(source=c["outputs"][0], target=a["outputs"][0])
        assert "would close a cycle between frameworks (CC → CA → CB → CC)" in messages_of(exc)
        # The reverse of an existing direction is a two-framework cycle.
        with pytest.raises(ValidationError):
            services.alignment_create(source=b["outputs"][0], target=a["outputs"][1])

    def test_update_cannot_create_a_duplicate(self, make_chain):
        corp, sec = make_chain(code="C3"), make_chain(code="S3")
        services.alignment_create(source=sec["io"], target=corp["outputs"][0])
        second = services.alignment_create(source=sec["io"], target=corp["outputs"][1])
        with pytest.raises(ValidationError):
            services.alignment_update(alignment=second, target=corp["outputs"][0])
        second.refresh_from_db()
        assert second.target == corp["outputs"][1]

    def test_delete_alignment(self, make_chain):
        corp, sec = make_chain(code="C4"), make_chain(code="S4")
        edge = services.alignment_create(source=sec["io"], target=corp["io"])
        services.alignment_delete(alignment=edge)
        assert Alignment.objects.count() == 0


class TestDatabaseConstraints:
    """What a bulk path (the ORM without full_clean) cannot store either."""

    def test_second_root_is_refused_by_the_database(self, make_chain):
        chain = make_chain(code="DB1")
        with pytest.raises(IntegrityError), transaction.atomic():
            Result.objects.create(framework=chain["framework"], level=Level.IMPACT, code="DB1-X", statement="x")

    def test_non_impact_root_is_refused_by_the_database(self, make_framework):
        fw = make_framework(code="DB2")
        with pytest.raises(IntegrityError), transaction.atomic():
            Result.objects.create(framework=fw, level=Level.OUTCOME, code="DB2-OC", statement="x")

    def test_duplicate_edge_is_refused_by_the_database(self, make_chain):
        corp, sec = make_chain(code="DB3"), make_chain(code="DB4")
        Alignment.objects.create(source=sec["io"], target=corp["io"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Alignment.objects.create(source=sec["io"], target=corp["io"])

    def test_self_edge_is_refused_by_the_database(self, make_chain):
        chain = make_chain(code="DB5")
        with pytest.raises(IntegrityError), transaction.atomic():
            Alignment.objects.create(source=chain["io"], target=chain["io"])


def test_business_line_codes_are_unique(db):
    services.business_line_create(code="CF", name="Catalytic Fund")
    with pytest.raises(ValidationError):
        services.business_line_create(code="cf", name="Another")
    assert BusinessLine.objects.count() == 1
