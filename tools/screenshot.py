"""Take screenshots of pages as a logged-in user (a development aid, not a test).

    .venv/bin/python tools/screenshot.py --base http://127.0.0.1:8000 --user cv.dongda1 \
        --out /tmp/shots /district/ /schools/

Uses Debian's chromium through Playwright; the password defaults to the demo one.
"""

import argparse
import pathlib
import re

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="Demo@2024kd")
    out_default = "/tmp/shots"  # nosec B108  # a developer's screenshots, nothing read back
    parser.add_argument("--out", default=out_default)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, locale=args.lang)
        if args.user:
            page.goto(args.base + "/accounts/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("#login-form button[type=submit]")
            page.wait_for_load_state("networkidle")
        for path in args.paths:
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"[^a-zA-Z0-9]+", "_", f"{args.user or 'anon'}_{path}").strip("_") + ".png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name, page.title())
        browser.close()


if __name__ == "__main__":
    main()
