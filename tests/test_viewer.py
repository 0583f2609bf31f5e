"""The reuse viewer renders in headless Chromium, and its family links open the right pair."""
import re
import shutil
import subprocess
import tempfile

import pytest

import nlp
from nlp.reuse.detect import detect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
              pytest.mark.slow]  # headless Chromium per test


def dump_dom(url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def viewer(tmp_path_factory):
    out = tmp_path_factory.mktemp("reuse")
    detect(nlp.corpora.load("seeds").reports).write(out)
    return out / "viewer.html"


def marks(dom: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="([a-z_]+)" id="(d\d+f\d+)"', dom)


def test_viewer_renders_the_first_cross_office_pair(viewer):
    dom = dump_dom(viewer.as_uri())
    found = marks(dom)
    assert ("cross_office", "d2f0") in found and ("cross_office", "d0f0") in found
    assert "2021年我镇在市政务公开工作考核中" in dom


def test_family_links_open_their_pair(viewer):
    html = viewer.read_text(encoding="utf-8")
    links = re.findall(r'href="(#pair=\d+,\d+)">(\d+)</a>', html)
    assert len(links) >= 2  # the cross-office families (template-only reports are not embedded)
    for href, family in links:
        dom = dump_dom(viewer.as_uri() + href)
        a, b = re.match(r"#pair=(\d+),(\d+)", href).groups()
        ids = {i for _, i in marks(dom)}
        assert f"d{a}f{family}" in ids and f"d{b}f{family}" in ids, href
