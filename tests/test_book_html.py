"""The built HTML book, read in headless Chromium with the network cut off.

The book is built once per session, unless `make book` has already built it
from the current sources (it leaves `_build/html/.complete`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chapters import HTML, build_book, notebooks

SCREENSHOTS = HTML / "_screenshots"
CHROMIUM = "/usr/bin/chromium"
DERIVATION_CHAPTER = "05_backpropagation"
# Figures (as <img>) that each page of Parts 2 and 3 must show, at least.
FIGURES = {"06_data_provided": 4, "07_manual": 2, "08_autograd": 1, "09_nn": 1, "10_optim": 2,
           "11_one_algorithm": 1, "12_mnist": 7, "13_experiments": 3, "14_backprop_cost": 1,
           "15_initialisation": 2}

pytestmark = [pytest.mark.slow, pytest.mark.book, pytest.mark.xdist_group("book")]


@pytest.fixture(scope="session")
def html() -> Path:
    """The HTML book, built now unless a complete build of the current sources exists."""
    return build_book()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        yield browser
        browser.close()


def open_page(browser, path: Path):
    """Open a page offline: any request that is not a local file is refused and recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    if page.locator(".math").count():  # Sphinx loads MathJax only on pages with math
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    return page, refused


PAGE_FACTS = """() => {
  const text = el => el.innerText || '';
  const outside_code = [...document.querySelectorAll('article p, article li, article td, article dd')]
      .filter(el => !el.closest('pre, code, .highlight'));
  return {
    math: document.querySelectorAll('article .math').length,
    unrendered: document.querySelectorAll('article .math:not(:has(mjx-container))').length,
    merror: document.querySelectorAll('mjx-merror').length,
    raw_tex: outside_code.filter(el => /\\\\\\(|\\\\\\[|\\$\\$|\\\\frac|\\\\nabla/.test(text(el))).map(text),
    errors: document.querySelectorAll('.output.error, .output.traceback').length,
    tracebacks: [...document.querySelectorAll('.cell_output')]
        .filter(el => /Traceback \\(most recent call last\\)|Error Traceback/.test(text(el))).length,
    images: [...document.querySelectorAll('article img')].map(img => [img.src.split('/').pop(), img.naturalWidth]),
    figure_reprs: [...document.querySelectorAll('.cell_output')].filter(el => /<Figure size/.test(text(el))).length,
    exercises: [...document.querySelectorAll('.exercise')].map(el => el.id),
  };
}"""


@pytest.mark.parametrize("chapter", [path.stem for path in notebooks()])
def test_chapter_renders_offline(html, browser, chapter):
    page, refused = open_page(browser, html / "chapters" / f"{chapter}.html")
    facts = page.evaluate(PAGE_FACTS)
    assert refused == []
    assert facts["unrendered"] == 0 and facts["merror"] == 0
    assert facts["raw_tex"] == []
    assert facts["errors"] == 0 and facts["tracebacks"] == 0
    assert all(width > 0 for _, width in facts["images"]), facts["images"]
    assert facts["figure_reprs"] == 0  # every figure is an image, not "<Figure size ...>"
    assert len(facts["images"]) >= FIGURES.get(chapter, 0), facts["images"]
    page.close()


def test_the_decision_boundary_animation_plays_offline(html, browser):
    page, refused = open_page(browser, html / "chapters" / "07_manual.html")
    slider = page.locator(".animation .anim-slider")
    assert slider.count() == 1
    frames = int(slider.get_attribute("max")) + 1
    assert frames >= 30
    frame = page.locator(".animation img")
    first = frame.get_attribute("src")
    slider.fill(str(frames - 1))  # scrub to the last frame
    slider.dispatch_event("input")
    assert frame.get_attribute("src") != first
    assert refused == []


def test_derivation_chapter_screenshot_and_math(html, browser):
    page, refused = open_page(browser, html / "chapters" / f"{DERIVATION_CHAPTER}.html")
    facts = page.evaluate(PAGE_FACTS)
    assert facts["math"] > 100  # equations, inline math and SymPy output, all rendered
    assert len(facts["images"]) >= 1  # the computation graph
    assert page.locator("mjx-container[display='true']").count() > 10
    assert {"question-12", "question-13", "question-14", "question-15", "question-16", "question-17"} <= set(
        facts["exercises"])
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#sec-grad-batch").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{DERIVATION_CHAPTER}.png"), full_page=True)
    assert (SCREENSHOTS / f"{DERIVATION_CHAPTER}.png").stat().st_size > 50_000
    assert refused == []


def test_all_seventeen_questions_are_exercises(html):
    found = set()
    for page in (html / "chapters").glob("*.html"):
        text = page.read_text()
        found |= {f"question-{n}" for n in range(1, 18) if f'id="question-{n}"' in text}
    assert found == {f"question-{n}" for n in range(1, 18)}


def test_solutions_are_collapsed_and_notebooks_downloadable(html):
    text = (html / "chapters" / f"{DERIVATION_CHAPTER}.html").read_text()
    assert "solution dropdown" in text
    assert f"_sources/chapters/{DERIVATION_CHAPTER}.ipynb" in text
    assert (html / "_sources" / "chapters" / f"{DERIVATION_CHAPTER}.ipynb").exists()
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists()
