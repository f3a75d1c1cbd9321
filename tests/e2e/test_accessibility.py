"""The whole page checked by axe-core, as an accessibility audit would, at a desktop's, a tablet's and a
phone's width: zero violations.

axe-core is a development dependency of the page's scripts (package.json), installed by ``npm ci`` into
node_modules and injected into the page here; it is never part of the page students get.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

Server = Any
Watch = Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# axe's default rules (WCAG 2 A and AA, and best practices), and one it marks experimental that an audit
# of this page found: a control's accessible name must contain its visible text.
AXE_OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}}


# A figure recomputing is marked aria-busy and fades its numbers; axe would measure the contrast of a colour
# half-way through that fade. The page is audited as a student reads it: nothing busy, no transition running.
SETTLED = """() => document.querySelector('[aria-busy="true"]') === null
  && document.getAnimations().every((a) => a.playState !== 'running')"""


def violations(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function(SETTLED, timeout=30_000)
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
    )
    return found


def described(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:6]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1280, 768, 390])
def test_axe_finds_no_violations(page: Page, server: Server, watched: Watch, width: int) -> None:
    assert AXE.exists(), "axe-core is missing: run npm ci"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(e => Number(e.dataset.frames || 0) > 0)",
        timeout=60_000,
    )
    found = violations(page)
    assert found == [], f"axe-core at {width} px:\n{described(found)}"
    # And with every "The numbers" table and every other folded part open, as a student reading them has it.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => (d.open = true))")
    page.wait_for_function(SETTLED, timeout=30_000)
    found = page.evaluate("async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS)
    assert found == [], f"axe-core at {width} px, every details element open:\n{described(found)}"
