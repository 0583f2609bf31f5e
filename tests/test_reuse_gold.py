"""The hand-checked gold of copied sentences in the real reports, and the detector against it."""
from collections import Counter
from dataclasses import replace

import pytest

from benchmarks import reuse_gold as rg
from conftest import SHARED, SHARED_REPORTS
from nlp.reuse.detect import detect

GOLD = rg.load_gold()
HAVE_SHARED = SHARED_REPORTS.is_dir()
needs_shared = pytest.mark.skipif(not HAVE_SHARED, reason="../shared/corpora is not present")


@pytest.fixture(scope="module")
def reports():
    reports, note = rg.load_corpus(shared=SHARED)
    return {rg.gold_file(r.path): r for r in reports}


@pytest.fixture(scope="module")
def result(reports):
    return detect(reports.values())


def sentence_spans(report):
    return {(x.start, x.end) for s in report.sections for x in s.sentences if x.kind == "text"}


def test_gold_lines_are_well_formed():
    assert len(GOLD) > 500
    keys = {"a", "b", "kind", "layer", "text_a", "text_b", "note", "passage"}
    seen = set()
    for g in GOLD:
        assert set(g) == keys
        assert g["kind"] in rg.KINDS and g["layer"] in rg.LAYERS
        assert g["a"]["file"] != g["b"]["file"]
        assert all(f.split("/")[0] in ("seeds", "shared") for f in (g["a"]["file"], g["b"]["file"]))
        pair = (g["a"]["file"], g["a"]["start"], g["b"]["file"], g["b"]["start"])
        assert pair not in seen
        seen.add(pair)
    # every layer and kind is represented; the seeds' known copies are there
    assert set(Counter(g["layer"] for g in GOLD)) == set(rg.LAYERS)
    assert set(Counter(g["kind"] for g in GOLD)) == set(rg.KINDS)
    assert any("南乡镇" in g["text_b"] and g["layer"] == "cross_office" for g in GOLD)
    # passages are numbered in order, one or more pairs each
    ids = [g["passage"] for g in GOLD]
    assert ids == sorted(ids) and set(ids) == set(range(max(ids) + 1))


def test_every_gold_span_is_a_sentence_of_its_loaded_report(reports):
    checked = 0
    for g in GOLD:
        for side, text in (("a", "text_a"), ("b", "text_b")):
            file = g[side]["file"]
            if file not in reports:
                assert file.startswith("shared/") and not HAVE_SHARED, file
                continue
            report = reports[file]
            span = (g[side]["start"], g[side]["end"])
            assert report.text[span[0]:span[1]] == g[text], (file, span)
            assert span in sentence_spans(report), (file, span)
            checked += 1
    assert checked >= 2 * sum(g["a"]["file"].startswith("seeds") and g["b"]["file"].startswith("seeds")
                              for g in GOLD)


def test_layers_follow_the_offices(reports):
    if not HAVE_SHARED:
        pytest.skip("../shared/corpora is not present")
    for g in GOLD:
        same = reports[g["a"]["file"]].meta.office == reports[g["b"]["file"]].meta.office
        if g["layer"] == "self_copy":
            assert same
        elif g["layer"] == "cross_office":
            assert not same
    # the source side is the earlier report
    assert all(reports[g["a"]["file"]].meta.year <= reports[g["b"]["file"]].meta.year for g in GOLD)


def test_kind_rule():
    assert rg.text_kind("本报告 由 此编制。", "本报告由此编制。") == "verbatim"
    assert rg.text_kind("2020年我镇未发生政务公开责任追究情况。",
                        "2021年我镇未发生政务公开责任追究情况。") == "names_swapped"
    assert rg.text_kind("加强区政府门户网站日常管理，运用第三方检测平台实行常态化监测，执行信息审核发布制度。",
                        "加强区政府门户网站日常管理，运用第三方检测平台实行常态化监测，新增信息审核发布报备制度。") == "edited"
    assert rg.text_kind(
        "一是对涉及面广、社会关注度高或专业性比较强的政策性信息及相关重要信息，要求各政府信息公开单位要制定"
        "信息发布、解读和回应的整体方案，保障政策解读的时效性与准确性。",
        "对一些涉及面广、社会关注度高或专业性比较强的政策性信息及相关重要信息，制定信息发布、解读和回应的"
        "整体方案，及时组织专家进行科学解读、阐释，增进公众对政府工作的了解和理解。") == "paraphrased"


def test_evaluate_counts_misses_when_nothing_is_detected(result):
    empty = replace(result, passages=[], matches=[])  # same reports, nothing detected
    df = rg.evaluate(empty).set_index("group")
    assert df.loc["all", "found"] == 0 and df.loc["all", "detected"] == 0
    loaded = {rg.gold_file(d.path) for d in result.table.docs}
    assert df.loc["all", "gold_pairs"] == sum(g["a"]["file"] in loaded and g["b"]["file"] in loaded
                                               for g in GOLD)
    # a detected pair that covers no gold pair lowers precision
    full = rg.evaluate(result).set_index("group")
    assert full.loc["all", "correct"] <= full.loc["all", "detected"]


def test_seed_copies_are_found(result):
    """The seeds' three cross-office copies (杜市镇/董家镇, 永正镇's 南乡镇 paragraph)."""
    gold_rows, _ = rg.match(result, GOLD)
    seeds = [g for g in gold_rows if g["layer"] == "cross_office" and g["a"]["file"].startswith("seeds")]
    assert len(seeds) == 3 and all(g["found"] for g in seeds)


@needs_shared
def test_detector_on_the_twenty_real_reports(result):
    df = rg.evaluate(result).set_index("group")
    target = df.loc["target: verbatim+names_swapped+edited, cross_office+self_copy"]
    assert target["gold_pairs"] == 216
    # The issue asks for 0.95 / 0.95: 206/216 = 0.954 recall and 206/215 = 0.958 precision, with
    # the same-office pass and its coverage rule (misses and false positives listed in
    # benchmarks/reuse_gold.md).
    assert target["recall"] >= 0.95
    assert target["precision"] >= 0.95
    # every verbatim and names-swapped copy between reports of the same or different offices
    for layer in rg.TARGET_LAYERS:
        for kind in ("verbatim", "names_swapped"):
            row = df.loc[f"{layer} / {kind}"]
            assert row["found"] == row["gold_pairs"], (layer, kind, row.to_dict())
    # the detector's layer agrees with the gold's on every found pair: layers by spread and the
    # national template's list (issue 13; under the 30% share rule template agreed on 0.941)
    for layer in rg.LAYERS:
        assert df.loc[f"layer={layer}", "layer_agreement"] == 1.0, layer


@needs_shared
def test_benchmark_section_lists_the_errors():
    section = rg.main()
    assert section.startswith("## Reuse detection against the hand-checked gold")
    assert "| target: verbatim+names_swapped+edited, cross_office+self_copy | 216 |" in section
    assert "Missed gold pairs in the target scope" in section
