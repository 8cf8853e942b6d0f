"""Every kind of page, as the people who use it see it, at 1280 and 390 pixels: axe-core finds no
serious or critical WCAG 2.1 AA violation, nothing is wider than the window, every field has a
label (check_page). On a phone the scorecard's status and progress are on screen without scrolling
sideways, and the worklist's buttons can be reached. Refused and missing pages are pages of the site.
"""
import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from indicators.demo import demo_calendar  # noqa: E402 (after the skip above)

from .conftest import NARROW, WIDE, check_page, login, logout  # noqa: E402

BASE, Y1, Y2, Y0 = demo_calendar().years


def manager_pages() -> list[str]:
    from results.models import Alignment

    alignment = Alignment.objects.order_by("pk").first()
    return [
        "/", "/frameworks/CORP/", "/frameworks/SEC/", "/results/CORP-OUT-2/", "/results/CORP-OUT-2/edit/",
        "/results/CORP-OUT-3-A1/move/", "/results/CORP-OUT-3-A1/delete/", "/frameworks/CORP/results/new/",
        "/alignments/", "/alignments/new/", f"/alignments/{alignment.pk}/edit/",
        "/indicators/", "/indicators/new/", "/indicators/CORP-OUT-2-I1/", "/indicators/SEC-OC-I1/",
        "/indicators/SEC-OUT-1-I1/", "/indicators/CORP-OUT-2-I1/edit/", "/indicators/SEC-OUT-3-I1/baseline/",
        "/indicators/CORP-OUT-2-I1/targets/new/", f"/indicators/CORP-OUT-2-I1/targets/{Y0}/edit/",
        f"/indicators/SEC-OUT-3-I1/targets/{Y0}/review/", f"/indicators/CORP-OUT-1-I1/measurements/{Y0}/",
        f"/indicators/CORP-OUT-3-I1/measurements/new/?period={Y0}",
        f"/indicators/CORP-IO-I1/measurements/{Y0}/edit/", "/indicators/worklist/?all=1", "/indicators/review/",
        "/scorecard/", "/scorecard/?framework=SEC", "/scorecard/?framework=CORP&line=CP",
        "/scorecard/editions/", f"/scorecard/editions/publish/?framework=CORP&period={Y0}",
        "/scorecard/editions/compare/",
    ]


def test_every_page_passes_axe_and_fits_a_phone(page, site_data):
    login(page, "manager")
    for url in manager_pages():
        response = page.goto(url)
        assert response.status == 200, url
        check_page(page)
    logout(page)
    login(page, "committee")
    for url in ("/scorecard/", "/indicators/CORP-OUT-2-I1/", "/results/CORP-OUT-2/",
                f"/indicators/CORP-OUT-1-I1/measurements/{Y0}/"):
        page.goto(url)
        check_page(page)


def test_refused_and_missing_pages_use_the_sites_layout(page, site_data):
    login(page, "committee")
    page.goto("/scorecard/")
    page.goto("/indicators/worklist/", referer=page.url)  # the committee enters no data
    expect(page.get_by_role("heading", name="You may not open this page")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    back = page.get_by_role("link", name="Back to the previous page")
    expect(back).to_have_attribute("href", page.url.replace("/indicators/worklist/", "/scorecard/"))
    page.js_errors.clear()  # the console reports the page's own 403 status: that is the point here
    check_page(page, "403")
    back.click()
    expect(page.get_by_role("heading", name="Scorecard: Corporate Results Chain")).to_be_visible()
    page.goto("/indicators/NO-SUCH-INDICATOR/")
    expect(page.get_by_role("heading", name="This page does not exist")).to_be_visible()
    expect(page.get_by_role("link", name="All indicators")).to_be_visible()
    page.js_errors.clear()
    check_page(page, "404")


def _within_window(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1


def test_on_a_phone_the_scorecard_status_and_progress_are_on_screen(page, site_data):
    login(page, "committee")
    page.set_viewport_size(NARROW)
    page.goto("/scorecard/")
    rows = page.locator("tr[data-code]")
    assert rows.count() >= 5
    for i in range(rows.count()):
        row = rows.nth(i)
        status = row.locator(".st")
        expect(status).to_be_visible()
        assert _within_window(page, status), row.get_attribute("data-code")
        progress = row.locator("td").nth(5)
        if progress.inner_text().strip():
            assert _within_window(page, progress), row.get_attribute("data-code")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    page.screenshot(path="screenshots/phone-scorecard.png", full_page=True)
    page.set_viewport_size(WIDE)
    logout(page)

    login(page, "officer")
    page.set_viewport_size(NARROW)
    page.goto("/indicators/worklist/")
    buttons = page.get_by_role("main").get_by_role("link", name="Record")
    assert buttons.count() >= 2
    for i in range(buttons.count()):
        assert _within_window(page, buttons.nth(i))
    page.screenshot(path="screenshots/phone-worklist.png", full_page=True)
    page.goto("/indicators/CORP-OUT-2-I1/")
    history = page.get_by_role("region", name="History")
    assert _within_window(page, history.locator("td").first)
    page.screenshot(path="screenshots/phone-indicator.png", full_page=True)
    page.set_viewport_size(WIDE)


def _printed(page, path):
    import pypdf

    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return pypdf.PdfReader(str(path))


def _words(pdf) -> str:
    """The page's text with its whitespace collapsed and typographic ligatures ("ﬁ") undone."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", pdf.pages[0].extract_text()).split())


def test_the_printed_scorecard_fits_one_a4_landscape_page(page, site_data, tmp_path):
    from django.contrib.auth import get_user_model

    from indicators.models import ReportingPeriod
    from results.models import ResultsFramework
    from scorecard import services

    login(page, "committee")
    for framework in ("CORP", "SEC"):
        page.goto(f"/scorecard/?framework={framework}")
        period = page.get_by_label("Period").input_value()
        pdf = _printed(page, tmp_path / f"{framework}.pdf")
        assert len(pdf.pages) == 1, f"the {framework} scorecard prints on {len(pdf.pages)} pages"
        width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
        assert width > height and round(width) in (841, 842)  # A4 landscape, in points
        text = _words(pdf)
        assert f"Reporting period {period}" in text and "as approved on" in text
        assert "Illustrative figures." in text

    # An edition prints its publication and the manager's commentary.
    edition = services.edition_publish(
        framework=ResultsFramework.objects.get(code="CORP"), period=ReportingPeriod.objects.get(label=Y0),
        commentary="Policy work is on track; training slipped with the elections.",
        published_by=get_user_model().objects.get(username="manager"))
    page.goto(f"/scorecard/editions/{edition.pk}/")
    pdf = _printed(page, tmp_path / "edition.pdf")
    assert len(pdf.pages) == 1
    text = _words(pdf)
    assert "published by" in text and "Policy work is on track; training slipped with the elections." in text


def test_the_longest_menu_fits_one_row_at_1280_pixels(page, site_data):
    login(page, "admin")  # the administrator's menu has every entry
    page.goto("/scorecard/")
    links = page.get_by_role("navigation", name="Main").get_by_role("listitem")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert links.count() >= 9 and len(tops) == 1, f"the menu wraps onto {len(tops)} rows"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDE["width"]
