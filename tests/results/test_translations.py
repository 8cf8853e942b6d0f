"""Result statements in the partners' languages (issue 19): stored per language, read in the
reader's language with the English text where a translation is missing, edited by managers on the
site and in the admin without touching the English statement."""
import pytest
from django.urls import reverse
from django.utils import translation

from results import services
from results.models import Result

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def chain(make_chain):
    return make_chain(outputs=1)


def test_a_statement_reads_in_the_readers_language_or_english(chain):
    out = chain["outputs"][0]
    services.result_update(result=out, statement_fr="Produit 1 en français")
    out = Result.objects.get(pk=out.pk)
    assert (out.statement_en, out.statement_fr, out.statement_es) == ("Output 1", "Produit 1 en français", None)
    with translation.override("fr"):
        assert out.statement == "Produit 1 en français"
        assert Result.objects.get(pk=chain["io"].pk).statement == "Intermediate outcome statement"  # none: English
    with translation.override("pt"):
        assert out.statement == "Output 1"
    assert out.statement == "Output 1"


def test_editing_in_french_keeps_the_english_statement(chain):
    out = chain["outputs"][0]
    with translation.override("fr"):
        services.result_update(result=out, statement="Output one", statement_fr="  Produit un ")
    out = Result.objects.get(pk=out.pk)
    assert (out.statement_en, out.statement_fr) == ("Output one", "Produit un")
    services.result_update(result=out, statement_fr="   ")  # blank: no translation, the reader gets English
    assert Result.objects.get(pk=out.pk).statement_fr is None


def test_manager_edits_translations_on_the_site(client, manager, chain):
    out = chain["outputs"][0]
    services.result_update(result=out, statement_fr="Ancien")
    client.force_login(manager)
    url = reverse("results:result_edit", args=[out.code])
    page = client.get(url, **FR).content.decode()
    assert "Traductions" in page and 'name="statement_es"' in page and 'lang="fr"' in page
    assert "Énoncé en espagnol" in page and "Statement in" not in page and 'value="Enregistrer"' in page
    # The English field holds the English statement, even for a reader of the French site.
    assert ">\nOutput 1</textarea>" in page and ">\nAncien</textarea>" in page
    response = client.post(url, {"level": out.level, "code": out.code, "statement": "Output 1", "order": 1,
                                 "statement_fr": "Produit 1", "statement_es": "Producto 1",
                                 "statement_pt": ""}, **FR)
    assert response.status_code == 302
    out = Result.objects.get(pk=out.pk)
    assert (out.statement_en, out.statement_fr, out.statement_es, out.statement_pt) == (
        "Output 1", "Produit 1", "Producto 1", None)
    page = client.get(reverse("results:result", args=[out.code]), **FR).content.decode()
    assert "Produit 1" in page
    # The page kept for French readers is not served to English ones (the cache key has the language).
    page = client.get(reverse("results:result", args=[out.code])).content.decode()
    assert "Output 1" in page and "Produit 1" not in page


def test_admin_shows_a_translations_section_and_saves_it(client, administrator, chain):
    out = chain["outputs"][0]
    client.force_login(administrator)
    url = reverse("admin:results_result_change", args=[out.pk])
    page = client.get(url, **FR).content.decode()
    assert "Traductions" in page and 'name="statement_pt"' in page and 'name="statement_en"' not in page
    assert "(anglais)" in page and "(English)" not in page
    fields = {"framework": out.framework_id, "parent": out.parent_id, "level": out.level, "code": out.code,
              "statement": "Output 1", "order": 1, "description": "", "assumptions": "", "beneficiary": "",
              "business_line": "", "statement_fr": "", "statement_es": "", "statement_pt": "Produto 1"}
    response = client.post(url, fields, **FR)
    assert response.status_code == 302, response.content.decode()[:2000]
    out = Result.objects.get(pk=out.pk)
    assert (out.statement_en, out.statement_pt, out.statement_fr) == ("Output 1", "Produto 1", None)
