"""The page on which a manager defines, changes or removes a computed corporate indicator (issue 18):
what the manager sees and saves, the rulebook's refusals on the form, forged and stale posts, and who
may open it. The `programmes` fixture (tests/conftest.py): CORP-CITIES and two aligned programme
indicators, P1-CITIES (running total 20 in FY2015) and P2-CITIES (latest 7)."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citiesalliance import roles
from indicators.models import Computation, Contribution


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def url_of(indicator) -> str:
    return reverse("indicators:computation_edit", args=[indicator.code])


def post(client, indicator, *, kind="sum", codes=("P1-CITIES", "P2-CITIES"), note="", version=0, **extra):
    return client.post(url_of(indicator), {"kind": kind, "contributions": list(codes), "note": note,
                                           "version": version, "action_save": "Save", **extra}, follow=True)


def test_the_indicator_page_offers_the_computation_to_managers_only(client, programmes, manager, officer):
    client.force_login(officer)
    assert 'id="computation-link"' not in text_of(client.get(programmes["corp"].get_absolute_url()))
    client.force_login(manager)
    page = text_of(client.get(programmes["corp"].get_absolute_url()))
    assert f'href="{url_of(programmes["corp"])}" id="computation-link">Compute from programmes' in page
    # a programme's own indicator is not computed from programmes
    assert 'id="computation-link"' not in text_of(client.get(programmes["p1"].get_absolute_url()))


def test_a_manager_defines_the_sum_and_the_page_shows_it(client, programmes, manager):
    client.force_login(manager)
    form = text_of(client.get(url_of(programmes["corp"])))
    assert "P1-CITIES — " in form and "P2-CITIES — " in form and "Framework PA" in form
    assert 'value="CORP-CITIES"' not in form  # not itself
    page = post(client, programmes["corp"], note="Adds up the programmes' cities.")
    text = text_of(page)
    assert page.redirect_chain[-1][0] == programmes["corp"].get_absolute_url()
    assert "CORP-CITIES is computed: Sum of: P1-CITIES, P2-CITIES." in text
    assert "27 cities" in text and "Adds up the programmes&#x27; cities." in text
    assert "Record a measurement" not in text and "Change the computation" in text
    assert Computation.objects.get().changed_by == manager


def test_saving_it_unchanged_writes_nothing(client, programmes, manager):
    computation = programmes["define"]()
    client.force_login(manager)
    form = text_of(client.get(url_of(programmes["corp"])))
    assert re.search(r'value="P1-CITIES"[^>]*checked', form) and re.search(r'value="sum"[^>]*checked', form)
    histories = computation.history.count()
    text = text_of(post(client, programmes["corp"], version=computation.version))
    assert "Nothing changed: the computation of CORP-CITIES was left as it was." in text
    assert computation.history.count() == histories
    assert Computation.objects.get().version == computation.version


def test_the_rulebook_refuses_on_the_form_and_nothing_is_written(client, programmes, manager):
    client.force_login(manager)
    # a count of programmes is a number that stands at a time: CORP-CITIES is a cumulative sum
    text = text_of(post(client, programmes["corp"], kind="count_met"))
    assert ("CORP-CITIES must be a number taking its latest value to count programmes meeting their "
            "target.") in text
    field = re.search(r'id="div_id_contributions".*?</fieldset>', text_of(post(client, programmes["corp"], codes=[])))
    assert "Name at least one contributing indicator." in field.group(0)  # on the field it is about
    assert not Computation.objects.exists()


def test_a_forged_code_is_refused_by_name(client, programmes, manager, make_indicator):
    make_indicator(programmes["chains"][0]["io"], code="P1-OTHER")  # a programme result not aligned
    client.force_login(manager)
    for code in ("P1-OTHER", "NOPE", "CORP-CITIES", "P1-CITIES\x00"):
        text = text_of(post(client, programmes["corp"], codes=[code]))
        assert "Select a valid choice" in text, code
    assert not Computation.objects.exists() and not Contribution.objects.exists()


def test_hostile_and_nul_text_in_the_note(client, programmes, manager):
    client.force_login(manager)
    text = text_of(post(client, programmes["corp"], note="bad\x00note"))
    assert "Null characters are not allowed." in text and not Computation.objects.exists()
    text = text_of(post(client, programmes["corp"], note="<script>alert(1)</script>"))
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_stale_form_does_not_overwrite_a_newer_formula(client, programmes, manager):
    computation = programmes["define"](codes=["P1-CITIES"])
    client.force_login(manager)
    text = text_of(post(client, programmes["corp"], codes=["P2-CITIES"], version=0))  # opened before it existed
    assert "was changed by" in text and "your changes were not saved" in text
    assert list(Contribution.objects.values_list("indicator__code", flat=True)) == ["P1-CITIES"]
    assert f'name="version" value="{computation.version}"' in text  # saving again is on purpose


def test_a_manager_removes_the_computation(client, programmes, manager):
    computation = programmes["define"]()
    client.force_login(manager)
    assert "Remove the computation" in text_of(client.get(url_of(programmes["corp"])))
    text = text_of(client.post(url_of(programmes["corp"]), {
        "kind": "sum", "version": computation.version, "action_remove": "Remove"}, follow=True))
    assert "CORP-CITIES is no longer computed: its figures are entered by hand again." in text
    assert "Record a measurement" in text and not Computation.objects.exists()


def test_a_contribution_no_longer_aligned_is_offered_to_be_taken_out(client, programmes, manager):
    from results.models import Alignment
    from results.services import alignment_delete

    computation = programmes["define"]()
    alignment_delete(alignment=Alignment.objects.get(source=programmes["p2"].result))
    client.force_login(manager)
    assert re.search(r'value="P2-CITIES"[^>]*checked', text_of(client.get(url_of(programmes["corp"]))))
    text = text_of(post(client, programmes["corp"], codes=["P2-CITIES"], version=computation.version))
    assert "P2-CITIES" in text and "align" in text  # the rulebook names the unaligned one
    text = text_of(post(client, programmes["corp"], codes=["P1-CITIES"], version=computation.version))
    assert "CORP-CITIES is computed: Sum of: P1-CITIES." in text and 'id="not-counted"' not in text


def test_no_aligned_programme_says_what_to_do(client, make_indicator, manager):
    corp = make_indicator(code="LONELY-1")
    client.force_login(manager)
    text = text_of(client.get(url_of(corp)))
    assert 'id="no-candidates"' in text and "Align a programme's result to it" in text.replace("&#x27;", "'")


@pytest.mark.parametrize("role", [roles.OFFICER, roles.COMMITTEE, None])
def test_other_roles_may_not_define_a_computation(client, programmes, make_user, role):
    client.force_login(make_user(role))
    assert client.get(url_of(programmes["corp"])).status_code == 403
    assert post(client, programmes["corp"]).status_code == 403
    assert not Computation.objects.exists()


def test_the_page_reads_in_a_fixed_number_of_queries(client, programmes, manager, make_chain, make_indicator):
    from results import services as result_services
    from results.models import ResultsFramework

    client.force_login(manager)

    def queries():
        client.get(url_of(programmes["corp"]))  # warm the session and the permission cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url_of(programmes["corp"])).status_code == 200
        return len(ctx)

    two = queries()
    for code in ("PC", "PD", "PE"):
        chain = make_chain(code=code, outputs=1, kind=ResultsFramework.Kind.COUNTRY)
        result_services.alignment_create(source=chain["outputs"][0], target=programmes["corporate"]["outputs"][0])
        make_indicator(chain["outputs"][0], code=f"{code}-CITIES", aggregation="sum")
    assert queries() == two


@pytest.mark.parametrize("language, words", [
    ("fr", ("Calcul de CORP-CITIES", "Les chiffres d'un indicateur calculé ne sont jamais saisis", "Formule",
            "Indicateurs contributeurs", "Enregistrer le calcul", "Somme des indicateurs contributeurs")),
    ("es", ("Cálculo de CORP-CITIES", "Guardar el cálculo", "Indicadores que contribuyen")),
    ("pt", ("Cálculo de CORP-CITIES", "Guardar o cálculo", "Indicadores contribuintes")),
])
def test_the_page_in_the_managers_language(client, programmes, manager, language, words):
    client.force_login(manager)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    text = text_of(client.get(url_of(programmes["corp"]))).replace("&#x27;", "'")
    assert [w for w in words if w not in text] == []
    assert "Save the computation" not in text and "Contributing indicators" not in text
    text = text_of(post(client, programmes["corp"], codes=[])).replace("&#x27;", "'")
    assert "Name at least one contributing indicator." not in text and not Computation.objects.exists()
