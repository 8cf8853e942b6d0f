"""The ladder's words (level names, zones, control and risk) are shown in the reader's language on
the chains pages (issue 19); the English words stay in exports and CSS classes."""
import pytest
from django.urls import reverse

from .test_views import text_of


@pytest.mark.parametrize("language, words", [
    ("fr", ["Effet intermédiaire", "Responsabilité partagée", "Redevabilité"]),
    ("es", ["Efecto intermedio", "Responsabilidad compartida", "Rendición de cuentas"]),
    ("pt", ["Efeito intermédio", "Responsabilidade partilhada", "Prestação de contas"]),
])
def test_the_ladder_is_in_the_readers_language(client, committee, make_chain, language, words):
    make_chain(code="CORP")
    client.force_login(committee)
    framework = text_of(client.get(reverse("results:framework", args=["CORP"]), HTTP_ACCEPT_LANGUAGE=language))
    result = text_of(client.get(reverse("results:result", args=["CORP-IO"]), HTTP_ACCEPT_LANGUAGE=language))
    for word in words[:2]:
        assert word in framework
    assert words[1].lower() in result.lower()
    assert "Intermediate Outcome" not in framework and "Shared responsibility" not in result
    assert words[2] in text_of(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language))
