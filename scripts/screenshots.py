"""Screenshots of the HTML outputs for the README: the report and the graph views of the
example organisation (the coverage view at a glance and with one Annex A group opened),
rendered by graphgov and photographed in headless Chromium.

    python scripts/screenshots.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
AS_OF = "2026-11-23"
PAGES = {  # file: (command, element photographed, node clicked first)
    "report.png": (["report"], None, None),
    "scope.png": (["viz", "--view", "scope"], "#graph", None),
    "supplier.png": (["viz", "--view", "supplier", "--supplier", "openai"], "#graph", None),
    "coverage.png": (["viz", "--view", "coverage"], "#graph", None),
    "coverage-group.png": (["viz", "--view", "coverage"], "#graph", " group A.6"),
}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        acme = Path(tmp) / "acme"
        subprocess.run(
            [sys.executable, "-m", "graphgov", "init", "--example", str(acme)],
            check=True,
            capture_output=True,
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for name, (command, element, click) in PAGES.items():
                html = Path(tmp) / (name + ".html")
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "graphgov",
                        *command,
                        "acme",
                        "--as-of",
                        AS_OF,
                        "-o",
                        str(html),
                    ],
                    check=True,
                    capture_output=True,
                    cwd=tmp,
                )
                page.goto(html.as_uri())
                page.wait_for_timeout(800)
                if click is not None:
                    page.evaluate("id => window.graphgovShow(id)", click)
                    page.wait_for_timeout(500)
                target = page.locator(element) if element else page
                target.screenshot(path=str(OUT / name))
                print(OUT / name)
            browser.close()


if __name__ == "__main__":
    main()
