"""Headless Chromium for the page tests (test_viewer.py, test_report.py): the DOM after the
page's scripts ran, screenshots, and a font configuration with no Chinese font in it."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: System font folders kept in the CJK-free configuration (Latin only on Debian).
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")


def no_cjk_fonts(folder: Path) -> dict[str, str]:
    """Environment for a fontconfig that knows only Latin fonts: a page's Chinese renders with
    its own embedded font or as empty boxes (tofu)."""
    folder.mkdir(parents=True, exist_ok=True)
    dirs = "".join(f"<dir>{d}</dir>" for d in LATIN_FONTS if Path(d).is_dir())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
                    encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def has_cjk_font(env: dict[str, str]) -> bool:
    """Whether fontconfig under ``env`` offers any font for Chinese."""
    done = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, env=env)
    return bool(done.stdout.strip())


def chromium(url: str, *args: str, env: dict[str, str] | None = None, budget_ms: int = 5000) -> str:
    """Run headless Chromium on ``url`` with ``args`` (``--dump-dom``, ``--screenshot=…``);
    returns its stdout."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--hide-scrollbars",
             *args, url], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(url: str, env: dict[str, str] | None = None, budget_ms: int = 5000) -> str:
    return chromium(url, "--dump-dom", env=env, budget_ms=budget_ms)


def screenshot(url: str, path: Path, size: str = "1200,900", env: dict[str, str] | None = None) -> Path:
    chromium(url, f"--screenshot={path}", f"--window-size={size}", env=env)
    return path


#: Appended to a copy of a page: records what the fonts and images became, in the DOM.
PROBE = """<script>
document.fonts.ready.then(async () => {
  const faces = await document.fonts.load('16px "Govnlp CJK"', '政府信息公开');
  const imgs = [...document.images];
  document.body.dataset.probe = JSON.stringify({
    check: document.fonts.check('16px "Govnlp CJK"', '政府信息公开'), faces: faces.length,
    families: [...document.fonts].map(f => f.family.replace(/"/g, '') + ':' + f.status),
    images: imgs.length, broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length});
});
</script>"""


def probe_copy(page: Path) -> Path:
    """A copy of ``page`` beside it (same relative links) with :data:`PROBE` appended."""
    copy = page.with_name(f"probe-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    return copy
