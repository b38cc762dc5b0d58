"""Screenshots of the NATO 2025 story as a reader first meets it, at desktop and phone size, for docs/web.md.

Builds the showcase database if it is missing (the seeds, the NATO 2025 articles and the largest saga story of
the abp month 2018-09, with the shared rater and owner files and reference tables imported; a few minutes),
serves it on a free local port and drives the system's Chromium with Playwright:

    .venv/bin/python bench/screenshots.py [--db .crosscheck-demo/showcase.db] [--out docs/images]

Writes ``story-desktop.png`` (1280×800) and ``story-phone.png`` (390×844), each clipped to the first two screens
(less, by tenths, while a file would exceed 300 kB),
and prints where the coverage verdict and the article list begin on each (pixels from the top of the page).
Needs ``../shared`` (or ``CROSSCHECK_SHARED``), Playwright and Chromium (``CROSSCHECK_CHROMIUM``, default
``/usr/bin/chromium``).
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Page

ROOT = Path(__file__).resolve().parents[1]
MAX_BYTES = 300_000  # each screenshot stays small enough to keep in the repository
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-lcd-text", "--force-color-profile=srgb"]  # smaller PNGs
CHROMIUM = os.environ.get("CROSSCHECK_CHROMIUM", "/usr/bin/chromium")
NATO_QUERY = "SELECT story_id FROM articles WHERE location LIKE '%nato-2025%' GROUP BY story_id ORDER BY COUNT(*) DESC"


def build(db: Path) -> None:
    """Ingest the showcase corpus into ``db`` and import the shared rater and owner files and reference tables."""
    from crosscheck import Store
    from crosscheck.demo import import_demo_ratings, import_demo_reference, shared_dir, showcase_inputs
    from crosscheck.pipeline import Pipeline

    shared = shared_dir()
    if shared is None:
        sys.exit("the shared research data is needed: ../shared or CROSSCHECK_SHARED")
    db.parent.mkdir(parents=True, exist_ok=True)
    partial = db.with_suffix(".part.db")
    partial.unlink(missing_ok=True)
    with Store(partial) as store:
        Pipeline(store).ingest(showcase_inputs(shared, db.parent))
    import_demo_ratings(partial)
    import_demo_reference(partial)
    partial.replace(db)


def nato_story(db: Path) -> int:
    """The story holding most of the NATO 2025 articles."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(NATO_QUERY).fetchone()
    if row is None or row[0] is None:
        sys.exit(f"no NATO story in {db}")
    return int(row[0])


def serve(db: Path) -> tuple[str, uvicorn.Server]:
    """The web UI over ``db`` on a free local port, in a thread."""
    from crosscheck.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


OFFSETS_JS = """() => {
  const top = (sel) => {
    const e = document.querySelector(sel);
    return e ? Math.round(e.getBoundingClientRect().top + scrollY) : null;
  };
  return {verdict: top('.verdict'), articles: top('.article-list'), height: document.documentElement.scrollHeight};
}"""


def shot(page: Page, path: Path, width: int, height: int) -> None:
    """A PNG of the page's top ``height`` pixels, cut by tenths until it is under :data:`MAX_BYTES`."""
    for tenths in range(10, 4, -1):
        clip: FloatRect = {"x": 0, "y": 0, "width": width, "height": height * tenths // 10}
        page.screenshot(path=str(path), clip=clip, full_page=True)
        if path.stat().st_size < MAX_BYTES:
            return
    print(f"{path} is still {path.stat().st_size:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / ".crosscheck-demo" / "showcase.db")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db)
    from playwright.sync_api import sync_playwright

    base, server = serve(args.db)
    story = nato_story(args.db)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
        )
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}/stories/{story}")
            offsets = page.evaluate(OFFSETS_JS)
            print(f"{name} {width}x{height}: {offsets}")
            shot(page, args.out / f"story-{name}.png", width, min(2 * height, offsets["height"]))
            page.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
