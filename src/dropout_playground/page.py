"""The article page as served: the template ``static/index.html`` with every computed number filled in.

The template marks each number its prose takes from a computation with an empty element,
``<span data-claim="worked.eval"></span>``; ``render_article`` fills it with the text of that claim
(``figures.claims``), escaped. So the numbers in the text are the engine's, and an unknown or unused name
is an error a test catches rather than a blank on the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from importlib import resources

LIBRARY_LINK_MARKER = "<!--library-link-->"
# An empty element carrying data-claim="name": the only form a claim takes in the template.
CLAIM_ELEMENT = re.compile(r'<(?P<tag>[a-z]+)(?P<attributes>[^>]*?\sdata-claim="(?P<name>[^"]+)"[^>]*)></(?P=tag)>')


def article_template() -> str:
    return resources.files("dropout_playground").joinpath("static").joinpath("index.html").read_text(encoding="utf-8")


def claim_names(template: str) -> list[str]:
    """The claims the template asks for, in order of appearance (repeats included)."""
    return [found.group("name") for found in CLAIM_ELEMENT.finditer(template)]


def render_article(template: str, claims: Mapping[str, str], library_url: str | None = None) -> str:
    """The page: each claim element filled with its text, and the back link when there is a library."""
    missing = sorted(set(claim_names(template)) - set(claims))
    if missing:
        raise KeyError(f"the page asks for claims that were not computed: {', '.join(missing)}")

    def fill(found: re.Match[str]) -> str:
        tag = found.group("tag")
        return f"<{tag}{found.group('attributes')}>{html.escape(claims[found.group('name')])}</{tag}>"

    page = CLAIM_ELEMENT.sub(fill, template)
    link = ""
    if library_url:
        link = f'<a class="library-link" href="{html.escape(library_url)}">← Explainer Library</a>'
    return page.replace(LIBRARY_LINK_MARKER, link)
