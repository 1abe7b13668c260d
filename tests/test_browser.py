"""Every HTML of two sample runs opens in headless Chromium with the network blocked: no
request leaves the machine, none fails, no console error, and the expected sections show.

Skips where no Chromium is installed; ``AUDIT_REQUIRE_BROWSER=1`` (set by .ci/run) turns the
skip into a failure so CI always runs it.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECTIONS = {
    "index.html": [
        "Verdict",
        "Control matrix",
        "Findings by severity",
        "Since the previous run",
        "Notebook reports",
    ],
    "inventory.html": [
        "Personal-data inventory",
        "Personal-data columns",
        "Where personal data lives",
    ],
    "minors.html": ["Children", "Age distribution"],
    "retention.html": ["Data retention", "Record age against the cutoff"],
    "credentials_payment.html": ["Credentials and payment data", "Revocation delay"],
    "rights_sharing_cookies.html": ["Rights, sharing and cookies", "Consent coverage"],
}


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        reason = "no Chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get("AUDIT_REQUIRE_BROWSER"):
            pytest.fail(reason + "; AUDIT_REQUIRE_BROWSER is set")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def test_every_page_opens_offline_and_clean(browser, sample_runs):
    _, out, folders = sample_runs
    pages = [out / "index.html"] + [p for f in folders for p in sorted(f.glob("*.html"))]
    assert len(pages) == 1 + 2 * len(SECTIONS)
    page = browser.new_page()
    external, failed, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:  # the network is blocked: anything else is a fetch the report must not make
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for html in pages:
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        for section in (
            SECTIONS.get(html.name, []) if html.parent != out else ["Privacy audit history"]
        ):
            assert section in text, (html, section)
        for img in page.locator("img").all():
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), (
                html,
                "image did not render",
            )
    assert external == [] and failed == [] and errors == []


SCREENSHOTS = os.environ.get("AUDIT_SCREENSHOTS")  # a folder: keep what the test saw

#: the text of every cell of the columns people read as words, in every table of a page
WORD_CELLS = """() => {
  const words = ["message", "checks", "clause", "check", "notes", "dataset", "column"];
  const out = [];
  document.querySelectorAll("table.audit-table").forEach(t => {
    if (!t.tHead) return;
    const heads = [...t.tHead.rows[0].cells].map(h => h.textContent.trim());
    t.querySelectorAll("tbody tr").forEach(r => [...r.cells].forEach((c, i) => {
      if (words.includes(heads[i])) out.push(c.innerText);
    }));
  });
  return out;
}"""


def test_the_report_reads_as_a_document(browser, sample_runs, tmp_path):
    """At 1280 px: no page wider than the window, no cut cell, a header on every page whose
    links all resolve; the findings table sorts and filters; every masked example is on the
    summary page; printing hides the navigation."""
    import json

    _, out, folders = sample_runs
    run = folders[0]
    doc = json.loads((run / "findings.json").read_text())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for html in sorted(run.glob("*.html")):
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (html.name, width)
        header = page.locator("nav.audit-nav")
        assert header.count() == 1, html.name
        text = header.inner_text()
        assert (
            doc["run"]["id"] in text
            and "2026-11-26" in text
            and doc["run"]["policy_version"] in text
        )
        hrefs = header.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert len(hrefs) == 2 + len(doc["run"]["notebooks"]) + 2, hrefs
        for href in hrefs:
            assert (run / href).exists(), (html.name, href)
        # the words an auditor reads are whole (masked examples end in an ellipsis by design)
        cells = page.evaluate(WORD_CELLS)
        assert cells, html.name
        assert not [c for c in cells if c.rstrip().endswith(("...", "\u2026"))], html.name
        # pandas' bare 0..N index column is gone: every table's first header has a name
        firsts = page.locator("table thead tr th:first-child").evaluate_all(
            "hs => hs.map(h => h.textContent)"
        )
        assert all(t.strip() for t in firsts), (html.name, firsts)
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/{html.stem}.png", full_page=True)

    page.goto((run / "index.html").as_uri())
    failing = [f for f in doc["findings"] if f["status"] == "fail"]
    shown = [f for f in doc["findings"] if f["status"] != "pass"]
    rows = page.locator("#findings tbody tr")
    assert rows.count() == len(shown)
    # every masked example of every failing finding, grouped per finding
    evidence = page.locator("details.audit-evidence")
    assert evidence.count() == sum(1 for f in failing if f["examples"])
    assert page.locator("details.audit-evidence tbody tr").count() == sum(
        len(f["examples"]) for f in failing
    )
    # sort by violations, descending: the first row holds the most
    head = page.locator("#findings thead th", has_text="violations")
    head.click()
    head.click()
    first = page.locator("#findings tbody tr").first.locator("td.num").nth(1).inner_text()
    assert int(first.replace(",", "")) == max(f["violations"] for f in shown)
    # filter by severity: only critical rows stay visible
    page.select_option("select[aria-label='Filter by severity']", "critical")
    visible = page.locator("#findings tbody tr:visible")
    assert visible.count() == sum(f["severity"] == "critical" for f in shown) > 0
    # the scope names sources and datasets, never a URL
    scope = page.locator("#scope-datasets").inner_text()
    assert all(d in scope for d in ("users", "api_requests"))
    assert "sqlite://" not in page.content()
    page.emulate_media(media="print")  # on paper: the run line stays, the links go
    page.wait_for_function("() => matchMedia('print').matches")
    assert page.locator("nav.audit-nav .run").is_visible()
    assert not page.locator("nav.audit-nav .links").is_visible()
    assert not page.locator(".audit-filters").is_visible()
    if SCREENSHOTS:
        page.emulate_media(media="screen")
        page.screenshot(path=f"{SCREENSHOTS}/index-filtered.png", full_page=False)
