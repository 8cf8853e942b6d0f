"""Hostile text in a translation (issue 19) is escaped as the English text is: on the result and
indicator pages and their edit forms, for a French reader (the scorecard writes every text through
scorecard.formatting's escaping, whatever its language)."""
from django.urls import reverse

from results import services as result_services

from .test_escaping import HOSTILE, assert_escaped

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def test_hostile_translations_are_escaped(client, manager, make_chain, make_indicator):
    chain = make_chain(outputs=1)
    out = chain["outputs"][0]
    result_services.result_update(result=out, statement_fr=HOSTILE)
    indicator = make_indicator(out, name_fr=HOSTILE[:300], definition_fr=HOSTILE)
    client.force_login(manager)
    pages = [reverse("results:result", args=[out.code]), reverse("results:result_edit", args=[out.code]),
             reverse("results:framework", args=[chain["framework"].code]),
             reverse("indicators:indicator", args=[indicator.code]),
             reverse("indicators:indicator_edit", args=[indicator.code])]
    for url in pages:
        response = client.get(url, **FR)
        assert response.status_code == 200, url
        assert "&lt;script&gt;" in response.content.decode(), url  # the French text is shown, escaped
        assert_escaped(response, url)
