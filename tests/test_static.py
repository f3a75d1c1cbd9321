"""The page's assets ship inside the package, and nothing on the page reaches beyond it."""

import re
from importlib import resources

import pytest

STATIC = resources.files("dropout_playground").joinpath("static")
ASSETS = ["index.html", "app.js", "style.css"]


@pytest.mark.parametrize("name", ASSETS)
def test_the_installed_package_carries_the_asset(name):
    assert STATIC.joinpath(name).is_file()
    assert STATIC.joinpath(name).read_text(encoding="utf-8").strip()


def test_the_page_loads_only_its_own_files():
    page = STATIC.joinpath("index.html").read_text(encoding="utf-8")
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "static/app.js" in references and "static/style.css" in references
    assert all(not re.match(r"^[a-z]+:|^//", ref) for ref in references), references


@pytest.mark.parametrize("name", ["app.js", "style.css"])
def test_scripts_and_styles_fetch_nothing_from_elsewhere(name):
    text = STATIC.joinpath(name).read_text(encoding="utf-8")
    assert not re.search(r"""url\(\s*['"]?(https?:)?//|@import\s+['"]?https?:|fetch\(\s*['"]https?:""", text)


def test_the_bundled_chart_library_is_credited_with_its_licence():
    page = STATIC.joinpath("index.html").read_text(encoding="utf-8")
    assert 'href="static/licenses/uPlot-LICENSE"' in page
    assert "MIT License" in STATIC.joinpath("licenses").joinpath("uPlot-LICENSE").read_text(encoding="utf-8")
