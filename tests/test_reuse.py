"""Template reuse on the seeds: the real copied passages, their direction and both leaks."""
import json
from pathlib import Path

import pytest

import nlp
from conftest import seed_path
from nlp.reuse.detect import detect


@pytest.fixture(scope="module")
def seeds():
    return nlp.corpora.load("seeds")


@pytest.fixture(scope="module")
def result(seeds):
    return detect(seeds.reports)


def cross_office(result):
    frame = result.passages_frame()
    frame["a_name"] = frame["a_path"].map(lambda p: Path(p).name[:3])
    frame["b_name"] = frame["b_path"].map(lambda p: Path(p).name[:3])
    return frame[frame["layer"] == "cross_office"]


def test_dushi_and_dongjia_share_a_two_sentence_passage(result):
    rows = cross_office(result)
    row = rows[(rows["a_name"] == "002") & (rows["b_name"] == "000")].iloc[0]
    t002 = seed_path("002").read_text(encoding="utf-8")
    t000 = seed_path("000").read_text(encoding="utf-8")
    a_start = t002.index("2020年我镇在市政务公开工作考核中")
    a_end = t002.index("2020年我镇未发生政务公开责任追究情况。") + len("2020年我镇未发生政务公开责任追究情况。")
    b_start = t000.index("2021年我镇在市政务公开工作考核中")
    b_end = t000.index("2021年我镇未发生政务公开责任追究情况。") + len("2021年我镇未发生政务公开责任追究情况。")
    assert (row["a_start"], row["a_end"], row["b_start"], row["b_end"]) == (a_start, a_end, b_start, b_end)
    assert row["kind"] == "near" and row["similarity"] > 0.85
    # 董家镇 2020 wrote first, 杜市镇 2021 copied
    assert row["a_year"] == 2020 and row["b_year"] == 2021


def test_yongzheng_paragraph_copied_from_another_town(result):
    rows = cross_office(result)
    row = rows[rows["b_name"] == "001"].iloc[0]
    t001 = seed_path("001").read_text(encoding="utf-8")
    start = t001.index("二是紧紧围绕实施政府信息公开工作")
    assert (row["b_start"], row["b_end"]) == (start, t001.index("的社会氛围。", start) + len("的社会氛围。"))
    assert row["a_name"] == "000"


def test_both_seed_leaks_are_flagged(result):
    leaks = result.leaks_frame()
    got = {(Path(p).name[:3], text, kind) for p, text, kind in zip(leaks["path"], leaks["text"], leaks["type"])}
    assert got == {("002", "我街道", "wrong_level"), ("001", "南乡镇", "other_office")}
    t001 = seed_path("001").read_text(encoding="utf-8")
    leak = leaks[leaks["text"] == "南乡镇"].iloc[0]
    assert t001[leak["start"]:leak["end"]] == "南乡镇"
    assert leak["source_office"] == "杜市镇人民政府"


def test_report_titles_are_template_not_reuse(result):
    frame = result.passages_frame()
    titles = frame[frame["a_text"].str.endswith("政府信息公开工作年度报告")]
    assert len(titles) >= 2 and set(titles["layer"]) == {"template"}


def test_report_measures(result):
    frame = result.reports_frame()
    overall = frame[frame["section"] == "all"]
    overall = overall.set_index(overall["path"].map(lambda p: Path(p).name[:3]))
    assert overall.loc["000", "cross_office_share"] > 0.05
    # 003 and 004 copied from no other office; what they share is the national template
    assert overall.loc["003", "cross_office_share"] == 0 and overall.loc["004", "cross_office_share"] == 0
    assert overall.loc["004", "boilerplate_share"] == overall.loc["004", "template_share"] > 0
    assert overall.loc["000", "top_sources"] == ["董家镇"]  # no division code: its place name


def test_outputs_are_written(result, tmp_path):
    files = {p.name for p in result.write(tmp_path)}
    # five towns of four counties: nothing is learned as template, so no template_learned.txt
    assert files == {"passages.jsonl", "families.jsonl", "shares.jsonl", "leaks.jsonl", "viewer.html"}
    # and beside the viewer page its data folder (one small file per report, loaded on demand)
    assert sorted(files | {"viewer"}) == sorted(p.name for p in tmp_path.iterdir()
                                                if not p.name.startswith("."))
    assert len(list((tmp_path / "viewer" / "docs").iterdir())) == len(result.table.docs)
    first = json.loads((tmp_path / "passages.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == list(result.passages_frame().columns)  # the file is the frame
    assert {"a_office_id", "a_section", "a_text", "b_year", "layer", "family"} <= set(first)
    family = json.loads((tmp_path / "families.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"canonical", "members", "source_office", "size", "layer", "region", "offices"} <= set(family)
    assert "南乡镇" in (tmp_path / "leaks.jsonl").read_text(encoding="utf-8")


def test_cli_reuse_writes_the_outputs(tmp_path):
    from typer.testing import CliRunner

    from cli import app
    from conftest import SEEDS

    result = CliRunner().invoke(app, ["reuse", str(SEEDS), "-o", str(tmp_path),
                                      "--manifest", str(SEEDS / "manifest.csv")])
    assert result.exit_code == 0, result.output
    assert "cross_office 2" in result.stdout and "2 leaks" in result.stdout
    rows = [json.loads(l) for l in (tmp_path / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(r["layer"] == "cross_office" for r in rows) == 2


def test_plots_render_chinese_labels_without_missing_glyphs(result, tmp_path, recwarn):
    import matplotlib

    matplotlib.use("Agg")
    from nlp.reuse.plots import copy_network, shared_chars, shared_text_heatmap

    labels, matrix = shared_chars(result)
    k000 = next(i for i, l in enumerate(labels) if l.startswith("杜市镇"))
    k002 = next(i for i, l in enumerate(labels) if l.startswith("董家镇"))
    assert matrix[k000, k002] > 50 and matrix[k000, k002] == matrix[k002, k000]
    for plot in (shared_text_heatmap, copy_network):
        ax = plot(result)
        path = tmp_path / f"{plot.__name__}.png"
        ax.figure.savefig(path)
        assert path.stat().st_size > 5000
    assert not [w for w in recwarn.list if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def test_planted_copies_are_found_in_a_synthetic_corpus(tmp_path):
    from nlp.corpus import apply_manifest, read_manifest
    from nlp.load import load_reports
    from nlp.reuse.evaluate import load_truth, score, score_leaks
    from nlp.reuse.synth import synthesize

    synth = synthesize(150, tmp_path / "synth", seed=3)
    reports, skipped = load_reports(synth.outdir / "reports")
    apply_manifest(reports, read_manifest(synth.manifest))
    result = detect(reports)
    frame = score(result, load_truth(synth.truth)).set_index("kind")
    leaks = score_leaks(result, load_truth(synth.truth))
    # every flagged leak is a planted one (11 of 16 found: county and department names and the
    # leadership words of a county are not looked for, see nlp/reuse/leaks.py)
    assert leaks["precision"] == 1.0 and leaks["recall"] >= 0.6
    assert skipped == []
    for kind in ("verbatim", "names_swapped", "edited", "paraphrased"):
        assert frame.loc[kind, "recall"] >= 0.95, kind
    assert frame.loc["all", "precision"] >= 0.95


def _doc(text: str, level: str, office: str):
    from nlp.reuse.candidates import ReuseDoc

    return ReuseDoc(0, "x.txt", office, office, level, "某县", 2021, text)


@pytest.mark.parametrize("text, level, office, leaks", [
    ("持续推动乡村振兴宣传引导，及时做好城乡规划解读回应。", "镇", "杜市镇", []),  # words, not towns
    ("结合我镇实际，持续规范重大决策公开。", "镇", "杜市镇", []),
    ("努力在南乡镇形成各级干部认真抓好政府信息公开的氛围。", "镇", "永正镇", ["南乡镇"]),
    ("全镇各部门积极配合，镇党委、政府高度重视。", "乡", "姚渡乡", ["全镇", "镇党委"]),
    ("我局高度重视政府信息公开工作。", "镇", "杜市镇", ["我局"]),
    ("我局高度重视政府信息公开工作。", "部门", "某县财政局", []),
    ("我镇高度重视政府信息公开工作。", "部门", "某县财政局", ["我镇"]),
])
def test_leak_rules(text, level, office, leaks):
    from nlp.reuse.leaks import find_leaks

    assert [hit[2] for hit in find_leaks(_doc(text, level, office), 0, len(text), text)] == leaks
