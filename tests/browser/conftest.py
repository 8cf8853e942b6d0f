"""Browser tests: Playwright for Python driving Debian's Chromium against live_server.

Run alone with `pytest -m browser`. Without Chromium they skip, saying why. Screenshots of key
pages go to screenshots/ (kept out of git).
"""
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    # Playwright's sync API runs an event loop in this thread for the whole session; the ORM calls
    # the tests themselves make (creating data, flushing it) are still synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # as the context's default, for assertions that wait
    # Reduced motion: Bootstrap then draws buttons without colour transitions, so that an audit taken
    # right after a resize or a click reads the colours a reader sees, not a frame of a fade.
    context = chromium.new_context(viewport=WIDE, base_url=live_server.url, accept_downloads=True,
                                   reduced_motion="reduce")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors
    yield pg
    context.close()


@pytest.fixture
def site_data(transactional_db, settings):
    """The Cities Alliance chains, the demo users and (when available) the demo indicators.

    live_server needs committed data (transactional_db), and each such test ends with a flush that
    also empties what the migrations created: the roles are made again here.
    """
    from citiesalliance.roles import roles_ensure

    roles_ensure()
    settings.DEBUG = True  # demo users exist only in DEBUG
    call_command("load_chains", verbosity=0)
    call_command("create_demo_users", verbosity=0)
    from django.core.management import get_commands
    if "load_demo" in get_commands():
        call_command("load_demo", verbosity=0)
    settings.DEBUG = False


def login(page, username: str):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' && !el.closest('[hidden]'))
  .filter(el => {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
    if (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) return false;
    if (el.closest('label')) return false;
    return true;
  })
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))
"""

HORIZONTAL_OVERFLOW_JS = """
() => document.documentElement.scrollWidth - document.documentElement.clientWidth
"""

# What sticks out of the window, for the failure message (wide tables belong in a .table-responsive box).
OVERFLOWING_ELEMENTS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1 &&
            (!el.closest('.table-responsive') || ['absolute', 'fixed'].includes(getComputedStyle(el).position)))
    .slice(0, 6)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
}
"""

# Status is never told by colour alone: every status pill (.st, scorecard) and badge (.badge) carries
# words, and a status pill's words are those of the status its colour stands for.
STATUS_WITHOUT_WORDS_JS = """
() => {
  const words = {on_track: 'on track', needs_attention: 'needs attention', off_track: 'off track',
                 no_data: 'no data', not_due: 'not due'};
  const problems = [];
  document.querySelectorAll('.st, .badge').forEach(el => {
    const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().toLowerCase();
    if (!text) { problems.push('no words: ' + el.outerHTML.slice(0, 100)); return; }
    el.classList.forEach(cls => {
      const m = cls.match(/^st-(.+)$/);
      if (m && words[m[1]] && text !== words[m[1]]) problems.push(cls + ' says ' + JSON.stringify(text));
    });
  });
  return problems;
}
"""


def assert_accessible_basics(page):
    """Every form field has a label; nothing is wider than the window (tables scroll in their box);
    every status says its status in words; no script error."""
    assert page.evaluate(UNLABELLED_FIELDS_JS) == []
    overflow = page.evaluate(HORIZONTAL_OVERFLOW_JS)
    assert overflow <= 1, (f"{page.url} is {overflow}px wider than a {page.viewport_size['width']}px window: "
                           f"{page.evaluate(OVERFLOWING_ELEMENTS_JS)}")
    assert page.evaluate(STATUS_WITHOUT_WORDS_JS) == []
    assert page.js_errors == []


# axe-core, from the installed axe-playwright-python package (no network). page.evaluate runs it in
# the page's main world through the DevTools protocol, which the page's Content-Security-Policy
# (script-src 'self') does not govern, so the script needs no exception in the policy.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING = {"serious", "critical"}


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations on the page as it stands, in words."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"] if v.get("impact") in AXE_BLOCKING
    ]


def assert_no_axe_violations(page):
    found = axe_violations(page)
    assert found == [], f"{page.url} at {page.viewport_size['width']}px: {found}"


def check_page(page, name: str | None = None):
    """A journey's page: its screenshot (1280 px wide) when named, the accessibility basics and an
    axe-core audit (no serious or critical WCAG 2.1 AA violation) at a 1280-pixel and a 390-pixel wide
    window. Leaves the window wide."""
    page.set_viewport_size(WIDE)
    if name:
        screenshot(page, name)
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        assert_accessible_basics(page)
        assert_no_axe_violations(page)
    page.set_viewport_size(WIDE)


DOCS_IMAGES = Path(settings.BASE_DIR) / "docs" / "images"


def docs_image(page, name: str, max_height: int = 1600):
    """A copy for the README, 1280 px wide and at most max_height px tall: into docs/images (which
    is committed) only when UPDATE_DOCS_IMAGES=1, so that test runs never change tracked files;
    otherwise into screenshots/ beside the others."""
    page.set_viewport_size(WIDE)
    folder = DOCS_IMAGES if os.environ.get("UPDATE_DOCS_IMAGES") == "1" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("() => document.documentElement.scrollHeight"), max_height)
    page.screenshot(path=str(folder / f"{name}.png" if folder is DOCS_IMAGES else folder / f"docs-{name}.png"),
                    full_page=True, clip={"x": 0, "y": 0, "width": WIDE["width"], "height": height})


def select_in_table(page, region_name, *texts):
    """The row of the table in a page region (a <section> with a heading) that shows every text."""
    row = page.get_by_role("region", name=region_name).get_by_role("row")
    for text in texts:
        row = row.filter(has_text=text)
    return row


def scorecard_row(page, code: str):
    """A scorecard's indicator row, found by the indicator code the reader sees in its first cell."""
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=code, exact=True)).filter(
        has=page.locator("td .st"))


SCORECARD_COLUMNS = ["code", "indicator", "baseline", "actual", "target", "progress", "status", "trend"]


def scorecard_cells(row) -> dict:
    """{column: the words of its cell}, whitespace collapsed: {"actual": "47,500 FY2015", ...}."""
    texts = [" ".join(text.split()) for text in row.get_by_role("cell").all_inner_texts()]
    return dict(zip(SCORECARD_COLUMNS, texts))


def period_row(page, label: str):
    """The indicator page's row of one period, found by its row header (FY2026), not by any mention."""
    return page.get_by_role("region", name="Targets and actuals").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=label, exact=True))
