"""The study report (nlp/report/study.py): every part and the data behind each figure, Chinese
that renders with no Chinese font installed, hostile text kept as text, the optional history
panel, and reuse plots that keep the top offices and say what they left out."""
import csv
import json
import re
import sys
import types
from importlib.machinery import ModuleSpec

import pytest

import nlp
from nlp.report.study import compute_study, render, write_study
from chromium import CHROMIUM, dump_dom, has_cjk_font, no_cjk_fonts, probe_copy, screenshot

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
HOSTILE = "<!--<script></script><img src=x onerror=\"document.title='pwned'\">"
COPIED = "接受各单位和群众的社会监督"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study") / "out"
    paths = write_study(nlp.corpora.load("seeds"), out)
    return out, paths


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_part_is_there_and_every_figure_links_its_data(study):
    out, paths = study
    page = (out / "index.html").read_text(encoding="utf-8")
    assert paths[-1] == out / "index.html"
    for anchor in ("corpus", "tables", "reuse", "problems", "summaries", "files"):
        assert f'<section id="{anchor}">' in page
    figures = re.findall(r'<figure id="fig-([a-z_-]+)"><img alt="[^"]*" src="data:image/png;base64,'
                         r'[A-Za-z0-9+/=]{2000,}"><figcaption>.*?Data: <a href="([^"]+)"', page)
    assert {f for f, _ in figures} >= {"years", "coverage", "checks", "key-figures", "heatmap",
                                        "network", "boilerplate_share", "statements", "topics"}
    for href in set(re.findall(r'href="([^"#][^"]*)"', page)):
        assert (out / href.split("#")[0]).is_file(), href
    by_year = {r["year_"]: r for r in rows(out / "data" / "reports_by_year_level.csv")}
    assert by_year["2021"]["镇"] == "3" and by_year["2020"]["镇"] == "1"
    coverage = {r["section"]: float(r["share"]) for r in rows(out / "data" / "section_coverage.csv")}
    assert coverage["problems"] == 1.0 and coverage["closing"] == 0.2
    links = rows(out / "data" / "office_links.csv")
    assert {(r["source_office"], r["copy_office"]) for r in links} == {("董家镇", "杜市镇"), ("杜市镇", "永正镇")}
    # the leak, with the words around it and a link to the pair in the viewer
    assert re.search(r'<td class="evidence">…[^<]*<mark>南乡镇</mark>[^<]*…</td><td><a href="reuse/viewer.html'
                     r'#pair=杜市镇-2021,永正镇-2021">', page)
    assert "reuse/viewer.html" in page and (out / "reuse" / "viewer" / "index.js").is_file()


def test_key_figures_are_the_tables_totals(study):
    out, _ = study
    cells = rows(out / "tables.csv")
    want = sum(float(c["value"]) for c in cells if c["table"] == "requests" and c["row"] == "new_received"
               and c["column"] == "total" and c["year"] == "2021" and c["value"])
    got = {r["year"]: r for r in rows(out / "data" / "key_figures_by_year.csv")}
    assert float(got["2021"]["requests received 新收申请"]) == want
    checks = rows(out / "data" / "check_rates.csv")
    assert sum(int(r["PASS"]) + int(r["FAIL"]) + int(r["NOT_ASSESSABLE"]) for r in checks) == len(rows(out / "checks.csv"))


@needs_chromium
@pytest.mark.slow
def test_page_renders_figures_and_chinese_with_no_chinese_font_installed(study, tmp_path):
    from PIL import Image, ImageChops

    out, _ = study
    env = no_cjk_fonts(tmp_path / "fc")
    assert not has_cjk_font(env)  # else the test could not see tofu
    dom = dump_dom(probe_copy(out / "index.html").as_uri(), env=env)
    probe = json.loads(re.search(r'data-probe="([^"]+)"', dom).group(1).replace("&quot;", '"'))
    assert probe["check"] and probe["faces"] >= 1 and "Govnlp CJK:loaded" in probe["families"]
    assert probe["images"] >= 9 and probe["broken"] == 0
    # two different strings drawn with the page's font look different; without it, both are tofu
    face = re.search(r"@font-face\{[^}]*\}", (out / "index.html").read_text(encoding="utf-8")).group(0)
    crops = {}
    for name, style in (("embedded", face), ("none", "")):
        test = tmp_path / f"{name}.html"
        test.write_text(f"<!doctype html><meta charset='utf-8'><style>{style}</style>"
                        "<body style='margin:0;background:#fff'>"
                        + "".join(f"<div style='position:absolute;left:8px;top:{8 + 100 * k}px;"
                                  f"font:48px \"Govnlp CJK\",sans-serif'>{s}</div>"
                                  for k, s in enumerate(("政府信息", "公开工作"))), encoding="utf-8")
        shot = Image.open(screenshot(test.as_uri(), tmp_path / f"{name}.png", "400,200", env=env)).convert("L")
        crops[name] = [shot.crop((0, 100 * k, 400, 100 * (k + 1))) for k in (0, 1)]
    assert ImageChops.difference(*crops["none"]).getbbox() is None  # tofu: every box alike
    assert ImageChops.difference(*crops["embedded"]).getbbox() is not None
    assert ImageChops.difference(crops["embedded"][0], crops["none"][0]).getbbox() is not None


@needs_chromium
@pytest.mark.slow
def test_hostile_report_text_shows_as_text_and_skipped_files_are_listed(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for r in nlp.corpora.load("seeds").reports:
        text = r.text
        if r.meta.office_short in ("董家镇", "杜市镇"):
            text = text.replace(COPIED, COPIED[:8] + HOSTILE + COPIED[8:])
        (folder / f"{r.meta.office_short}.txt").write_text(text, encoding="utf-8")
    (folder / "旧报告.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word file")
    out = tmp_path / "out"
    write_study(nlp.Corpus(folder, progress=False), out)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "files skipped: 1." in page and re.search(r"<td>[^<]*旧报告\.doc</td><td>[^<]*docx", page)
    assert "onerror=" not in re.sub(r"&lt;img src=x onerror=", "", page)
    dom = dump_dom((out / "index.html").as_uri())
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)
    assert not re.search(r"<img[^>]*onerror", dom)
    assert "&lt;img src=x onerror=" in dom  # shown, as text, in the families table


def test_history_panel_only_when_nlp_history_offers_it(tmp_path, monkeypatch):
    import pandas as pd

    s = compute_study(nlp.corpora.load("seeds"), tmp_path)
    fake = types.ModuleType("nlp.history")
    fake.__spec__ = ModuleSpec("nlp.history", None)
    monkeypatch.setitem(sys.modules, "nlp.history", fake)
    assert 'id="history"' not in render(s)  # a module without the hook: no panel
    seen = {}

    class Result:
        def repeated_problems_frame(self):
            return pd.DataFrame([{"office": "杜市镇人民政府", "year": 2021, "previous_year": 2020,
                                  "text": "信息更新不及时", "previous_text": "信息更新还不够及时",
                                  "similarity": 0.9}])

    def history(reports, reuse=None):
        seen.update(reports=len(reports), reuse=reuse)
        return Result()

    fake.history = history
    page = render(s)
    assert '<section id="history">' in page and "信息更新还不够及时" in page
    assert seen == {"reports": 5, "reuse": s.reuse}  # the study's own reuse, not detected again
    assert (tmp_path / "data" / "repeated_problems.csv").is_file()


def test_reuse_plots_keep_the_top_offices_and_say_what_they_left_out(tmp_path):
    from matplotlib.figure import Figure

    from nlp.reuse.detect import detect
    from nlp.reuse.plots import copy_network, office_links, shared_text_heatmap
    from nlp.reuse.synth import synthesize

    synth = synthesize(200, tmp_path / "synth", seed=1)
    result = detect(nlp.Corpus(synth.outdir / "reports", manifest=synth.manifest, progress=False).reports)
    links = office_links(result)
    offices = set(links["source_office"]) | set(links["copy_office"])
    assert len(offices) > 12
    ax = shared_text_heatmap(result, ax=Figure().subplots(), top_n=12)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 12 and f"12 of {len(offices)} offices shown" in ax.get_title()
    # the 12 kept are those sharing the most characters
    total = {o: links.loc[(links["source_office"] == o) | (links["copy_office"] == o), "chars"].sum()
             for o in offices}
    assert min(total[o] for o in labels) >= sorted(total.values(), reverse=True)[11]
    ax = copy_network(result, ax=Figure().subplots(), top_n=12)
    assert f"12 of {len(offices)} offices shown" in ax.get_title()
    names = {t.get_text() for t in ax.texts}
    assert names and names <= set(labels)


def test_cli_report_writes_the_study_and_refuses_a_foreign_folder(tmp_path):
    from typer.testing import CliRunner

    from cli import app
    from conftest import SEEDS

    out = tmp_path / "study"
    done = CliRunner().invoke(app, ["report", str(SEEDS), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "A study of 5 reports" in done.stdout
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "杜市镇" in page and (out / "reuse" / "viewer.html").is_file()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("my notes", encoding="utf-8")
    refused = CliRunner().invoke(app, ["report", str(SEEDS), "-o", str(foreign)])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "my notes"
