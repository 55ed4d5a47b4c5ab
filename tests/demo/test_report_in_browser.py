"""The demo's report page opened in headless Chromium: every figure loads.

Skipped where Chromium, chromedriver or selenium is missing, except when
GLASSNET_REQUIRE_REFERENCES=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile

import pytest

from tests.demo.test_demo_run import FIGURES

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--window-size=1280,2000"]


def _need(what: str, found) -> None:
    if found:
        return
    if os.environ.get("GLASSNET_REQUIRE_REFERENCES") == "1":
        pytest.fail(f"{what} is required here but missing (apt-get install chromium "
                    "chromium-driver; pip install selenium)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    _need("chromium", chromium)
    _need("chromedriver", driver_path)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    _need("selenium", webdriver)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="glassnet-chromium-")
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_every_figure_loads_in_chromium(browser, default_demo):
    page = default_demo.output / "report.html"
    browser.get(page.as_uri())
    images = browser.execute_script(
        "return Array.from(document.images).map(i => ({complete: i.complete, "
        "width: i.naturalWidth, height: i.naturalHeight, alt: i.alt}));")
    assert len(images) == len(FIGURES)
    for image, name in zip(images, FIGURES):
        assert image["complete"] and image["width"] > 0, (name, image)
        expected = _png_size((default_demo.output / name).read_bytes())
        assert (image["width"], image["height"]) == expected, name
    assert browser.title == "glassnet demo: MNIST digits"
    # Nothing was fetched from anywhere: the page is one file.
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);")
    assert [url for url in fetched if not url.startswith("data:")] == []
    text = browser.find_element("tag name", "body").text
    assert "Test accuracy" in text and "First-layer weights" in text
