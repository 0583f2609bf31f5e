"""The reuse viewer (nlp/report/viewer.py) in headless Chromium: it opens on the first
cross-office pair, its ``#pair=office-year`` links and filters work, a 2,000-report corpus
loads report by report, and hostile report text shows as text."""
import json
import re

import pytest

import nlp
from nlp.report.viewer import DATA_DIR, VIEWER, viewer_data, write_viewer
from nlp.reuse.detect import detect
from chromium import CHROMIUM, dump_dom, has_cjk_font, no_cjk_fonts, probe_copy

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
              pytest.mark.slow]  # headless Chromium per test

#: Inserted into the copied sentence of both 董家镇 2020 and 杜市镇 2021.
HOSTILE = "<!--<script></script><img src=x onerror=\"document.title='pwned'\">"
COPIED = "接受各单位和群众的社会监督"


@pytest.fixture(scope="module")
def seeds_result():
    return detect(nlp.corpora.load("seeds").reports)


@pytest.fixture(scope="module")
def viewer(seeds_result, tmp_path_factory):
    out = tmp_path_factory.mktemp("reuse")
    write_viewer(seeds_result, out)
    return out / VIEWER


def marks(dom: str, pane: str) -> list[tuple[str, str]]:
    """(layer, family) of the marks in pane ``lt`` or ``rt``."""
    body = re.search(rf'<pre class="pane" id="{pane}"[^>]*>(.*?)</pre>', dom, re.S).group(1)
    return re.findall(r'<mark class="([a-z_]+)" data-family="(\d+)"', body)


def test_viewer_opens_on_the_first_cross_office_pair(viewer):
    dom = dump_dom(viewer.as_uri())
    assert 'data-ready="2,0"' in dom  # 董家镇 2020 (source) and 杜市镇 2021 (copy)
    assert ("cross_office", "0") in marks(dom, "lt") and ("cross_office", "0") in marks(dom, "rt")
    assert "2021年我镇在市政务公开工作考核中" in dom and "2020年我镇在市政务公开工作考核中" in dom


def test_pair_links_name_reports_by_office_and_year(viewer):
    dom = dump_dom(viewer.as_uri() + "#pair=杜市镇-2021,永正镇-2021")
    assert 'data-ready="0,1"' in dom
    assert ("cross_office", "2") in marks(dom, "lt") and ("cross_office", "2") in marks(dom, "rt")
    assert re.search(r'id="left-meta">杜市镇人民政府', dom) and re.search(r'id="right-meta">永正镇人民政府', dom)
    assert "南乡镇" in dom  # the leak in 永正镇's copy
    assert "no report named" in dump_dom(viewer.as_uri() + "#pair=杜市镇-2021,无此镇-2021")


def test_family_links_open_their_pair(viewer):
    dom = dump_dom(viewer.as_uri())
    links = re.findall(r'<a class="family" href="#([^"]+)">(\d+)</a>', dom)
    assert len(links) >= 4
    for href, family in links:
        opened = dump_dom(f"{viewer.as_uri()}#{href}")
        assert (family in {f for _, f in marks(opened, "lt")}
                and family in {f for _, f in marks(opened, "rt")}), href


def test_panes_scroll_to_the_first_marked_passage(viewer):
    # 永正镇's copied item sits in section 五, far below the top of its pane
    dom = dump_dom(viewer.as_uri() + "#pair=杜市镇-2021,永正镇-2021")
    tops = dict(re.findall(r'id="(lt|rt)" data-top="(\d+)"', dom))
    assert int(tops["lt"]) > 200 and int(tops["rt"]) > 200


def test_hostile_report_text_shows_as_text(tmp_path):
    seeds = nlp.corpora.load("seeds")
    folder = tmp_path / "reports"
    folder.mkdir()
    for r in seeds.reports:
        text = r.text
        if r.meta.office_short in ("董家镇", "杜市镇"):
            assert COPIED in text
            text = text.replace(COPIED, COPIED[:8] + HOSTILE + COPIED[8:])
        (folder / f"{r.meta.office_short}.txt").write_text(text, encoding="utf-8")
    result = detect(nlp.Corpus(folder, progress=False).reports)
    write_viewer(result, tmp_path / "out")
    page = tmp_path / "out" / VIEWER
    dom = dump_dom(page.as_uri() + "#pair=董家镇-2020,杜市镇-2021")
    assert "<img" not in dom and "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)
    shown = "&lt;!--&lt;script&gt;&lt;/script&gt;&lt;img src=x onerror=\"document.title='pwned'\"&gt;"
    for pane in ("lt", "rt"):  # as text in each pane (a mark may open inside it: "<!" ends a sentence)
        body = re.search(rf'<pre class="pane" id="{pane}"[^>]*>(.*?)</pre>', dom, re.S).group(1)
        assert re.sub(r"</?mark[^>]*>", "", body).count(shown) == 1
        assert any(layer == "cross_office" for layer, _ in marks(dom, pane))  # rendered past it
    for js in (tmp_path / "out" / DATA_DIR).rglob("*.js"):
        assert "<" not in js.read_text(encoding="utf-8"), js.name  # nothing can close a script


@pytest.fixture(scope="module")
def synth_viewer(tmp_path_factory):
    from nlp.reuse.synth import synthesize

    tmp = tmp_path_factory.mktemp("synth")
    synth = synthesize(2000, tmp / "corpus", seed=0)
    corpus = nlp.Corpus(synth.outdir / "reports", manifest=synth.manifest, progress=False)
    result = detect(corpus.reports)
    write_viewer(result, tmp / "out")
    return tmp / "out" / VIEWER, result


def test_a_2000_report_corpus_loads_report_by_report(synth_viewer):
    page, result = synth_viewer
    assert page.stat().st_size < 30_000  # the page holds no report text
    docs = list((page.parent / DATA_DIR / "docs").glob("*.js"))
    assert len(docs) > 1500
    dom = dump_dom(page.as_uri())
    ready = re.search(r'data-ready="(\d+),(\d+)"', dom)
    assert ready and marks(dom, "lt") and marks(dom, "rt")
    assert re.search(r'id="status">2000 reports', dom)
    # only the two reports shown were loaded: their scripts are the only ones in the head
    loaded = re.findall(r'<script src="viewer/docs/(\d+)\.js"', dom)
    assert sorted(loaded) == sorted(ready.groups())


@pytest.mark.parametrize("query", ["layer=self_copy&level=镇", "year=2021&section=problems",
                                   "layer=cross_office&region=REGION", "family=FAMILY"])
def test_filters_list_exactly_the_matching_pairs(synth_viewer, query):
    page, result = synth_viewer
    index, _ = viewer_data(result)
    docs, layers, sections = index["docs"], index["layers"], index["sections"]
    region = next(docs[p[0]][2] for p in index["pairs"] if p[3] & (1 << layers.index("cross_office")))
    family = next(p[5][0] for p in index["pairs"] if p[3] & (1 << layers.index("cross_office")))
    query = query.replace("REGION", region).replace("FAMILY", str(family))
    want = dict(kv.split("=") for kv in query.split("&"))

    def ok(p):
        a, b = docs[p[0]], docs[p[1]]
        return all((k == "layer" and p[3] & (1 << layers.index(v)))
                   or (k == "section" and p[4] & (1 << sections.index(v)))
                   or (k == "family" and int(v) in p[5])
                   or (k == "level" and v in (a[3], b[3]))
                   or (k == "region" and v in (a[2], b[2]))
                   or (k == "year" and int(v) in (a[4], b[4])) for k, v in want.items())

    expected = [p for p in index["pairs"] if ok(p)]
    assert 0 < len(expected) < len(index["pairs"])
    dom = dump_dom(f"{page.as_uri()}#{query}")
    assert f'data-matching="{len(expected)}"' in dom
    rows = re.findall(r'<tr data-pair="(\d+),(\d+)"', dom)
    assert [(int(a), int(b)) for a, b in rows] == [(p[0], p[1]) for p in expected[:200]]
    a, b = map(int, re.search(r'data-ready="(\d+),(\d+)"', dom).groups())
    assert (a, b) in {(p[0], p[1]) for p in expected}  # the pair shown is one that matches


def test_embedded_font_renders_where_no_chinese_font_is_installed(viewer, tmp_path):
    env = no_cjk_fonts(tmp_path / "fc")
    assert not has_cjk_font(env)
    probe = json.loads(re.search(r"data-probe=\"([^\"]+)\"",
                                 dump_dom(probe_copy(viewer).as_uri(), env=env))
                       .group(1).replace("&quot;", '"'))
    assert probe["check"] and probe["faces"] >= 1 and "Govnlp CJK:loaded" in probe["families"]
