"""Layers by spread: the national template by its list, one office's text as self-copy, a county's
model text as regional model, the rest cross-office (issue 13)."""
import random
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import reuse_gold as rg
from conftest import SHARED, SHARED_REPORTS
from nlp.reuse.candidates import ReuseDoc
from nlp.reuse.detect import detect
from nlp.reuse.measures import sentence_flags
from nlp.reuse.families import area_chain, regional_unit, spread
from nlp.reuse.layer_eval import model_layers, planted_layers, template_purity
from nlp.reuse.national import entries, is_national, provenance

needs_shared = pytest.mark.skipif(not SHARED_REPORTS.is_dir(), reason="../shared/corpora is not present")


# -- the national template as data -----------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "本报告根据《中华人民共和国政府信息公开条例》要求，由石桥镇人民政府编制。",
    "本报告由石桥县人民政府办公室根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。",
    "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
    "本报告电子版可在石桥县人民政府门户网站（http://www.example.gov.cn）下载。",
    "如对本报告有疑问，请与石桥镇党政办公室联系（电话：0123-4567890）。",
    "五、存在的主要问题及改进情况",
    "（一）主动公开政府信息情况。",
    "本年新收政府信息公开申请数量 12 上年结转政府信息公开申请数量 0 予以公开 8 部分公开 1",
])
def test_stock_sentences_headings_and_tables_are_national(sentence):
    assert is_national(sentence), sentence


@pytest.mark.parametrize("sentence", [
    "一是受人员编制限制，信息公开工作人员多为兼职，业务能力有待提高。",
    "全县各部门进一步强化政务公开意识，扎实推进重点领域信息公开。",
    "2022年共受理政府信息公开申请12件，其中予以公开8件，已全部按时答复。",
    "我区通过强化载体建设，拓宽公开平台，进一步完善政府门户网站功能。",
])
def test_discretionary_text_is_not_national(sentence):
    assert provenance(sentence) is None, provenance(sentence)


def test_every_entry_says_where_it_comes_from():
    found = entries()
    assert all(e.format and e.provenance for e in found)
    # headings come from the segmenter's rules, not a copy of them
    assert any("rules.tsv" in e.provenance and "problems" in e.provenance for e in found)
    assert "templates.json" in provenance("本年新收政府信息公开申请数量 上年结转政府信息公开申请数量 予以公开 部分公开")


# -- spread ------------------------------------------------------------------------------------------
def _doc(i, short, level, region):
    return ReuseDoc(i, f"{i}.txt", short, short, level, region, 2021, "")


def test_area_chains_from_the_manifest_and_the_resolver():
    assert area_chain(_doc(0, "石桥镇", "镇", "丰河县")) == ("丰河县",)
    assert area_chain(_doc(1, "丰河县", "县", "临江市")) == ("丰河县", "临江市")
    assert area_chain(_doc(2, "洪泽区", "区", "江苏省淮安市")) == ("洪泽区", "淮安市", "江苏省")
    assert area_chain(_doc(3, "杜市镇", "镇", None), "丰城市", "宜春市", "江西省") == ("丰城市", "宜春市", "江西省")


def test_a_county_holds_a_model_when_it_holds_most_of_many_offices():
    towns = {f"镇{k}": ("丰河县",) for k in range(4)}
    assert regional_unit({**towns, "丰河县": ("丰河县", "临江市")}) == "丰河县"
    assert regional_unit({"镇0": ("丰河县",), "镇1": ("丰河县",)}) is None  # two offices: a copy
    # one county among offices of four: not its model
    assert regional_unit({"a": ("丰河县",), "b": ("丰河县",), "c": ("石岭县",), "d": ("青田县",)}) is None
    # a city's towns across its counties: the city's
    assert regional_unit({"a": ("丰河县", "临江市"), "b": ("石岭县", "临江市"), "c": ("青田县", "临江市")}) == "临江市"
    # provinces are never a regional model's county or city
    assert regional_unit({k: ("江苏省",) for k in "abcd"}) is None
    assert spread([("丰河县", "临江市", "甲省"), ("石岭县", "云岭市", "乙省")]) == 2


# -- real reports ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real():
    reports, _ = rg.load_corpus(shared=SHARED)
    return detect(reports)


def _families_with(result, words):
    t = result.table
    return [f for f in result.families if any(words in "".join(t.raw(i).split()) for i in f.sentences)]


def _offices(result, fam):
    return {result.table.docs[d].office for d in fam.docs}


@needs_shared
def test_real_layers_read_by_hand(real):
    """Read in the reports: 平潭 copying its own earlier years is self_copy, the 淮安市/洪泽区 fee
    sentence is cross_office, the format's stock sentences are template."""
    # 平潭 2014-2018 re-uses its 公开目录 and 查阅场所 sentences year after year
    for words in ("梳理和编目", "公众查阅场所", "门户网站做好我区第一批保障性住房"):
        fams = _families_with(real, words)
        assert fams and all(f.layer == "self_copy" for f in fams), words
        assert all(_offices(real, f) == {"平潭综合实验区管委会"} and len(f.docs) >= 2 for f in fams)
    # 淮安市 2024 and 洪泽区 2023/2024 share the fee sentence: cross_office, 洪泽区 2023 first
    fee = _families_with(real, "信息处理费管理办法")
    assert len(fee) == 1 and fee[0].layer == "cross_office" and len(_offices(real, fee[0])) == 2
    assert real.table.docs[fee[0].source].year == 2023
    # the stock sentences of the format, whoever wrote them
    for words in ("所列数据的统计期限", "如对本报告有", "本报告的电子版可在", "根据《中华人民共和国政府信息公开条例》"):
        fams = _families_with(real, words)
        assert fams and all(f.layer == "template" for f in fams), words
    # the pre-2019 statistics table flattened into a line, and the 本报告由…组成 structure sentence
    assert {f.layer for f in _families_with(real, "指标名称计量单位")} == {"template"}
    assert {f.layer for f in _families_with(real, "共六个部分组成")} == {"template"}
    # six offices, none sharing text with two others of its county: no regional model, nothing learned
    layers = Counter(f.layer for f in real.families)
    assert layers["regional_model"] == 0 and not real.learned_templates()
    assert layers["self_copy"] > 60 and layers["cross_office"] >= 4


@needs_shared
def test_real_self_copy_is_read_per_sentence_pair(real):
    frame = real.reports_frame().set_index("path")
    rows = frame[frame["section"] == "all"]
    # 洪泽区 2024 re-uses its 2023 text; 2023 (the earlier) has no self-copy
    hz = {Path(p).name: r for p, r in rows.iterrows() if Path(p).name in ("002.txt", "003.txt")}
    assert hz["003.txt"]["self_copy_share"] > 0.3 and hz["002.txt"]["self_copy_share"] == 0
    assert (rows["regional_model_share"] == 0).all()
    # a sentence is never both the office's own self-copy and template
    flags = sentence_flags(real)
    assert not [i for i, f in flags.items() if {"self_copy", "template"} <= f]


# -- one county's towns --------------------------------------------------------------------------------
def _synth_county(tmp_path, n, seed=0):
    from nlp.corpus import apply_manifest, read_manifest
    from nlp.load import load_reports
    from nlp.reuse.synth import read_model, read_truth, synthesize

    synth = synthesize(n, tmp_path / f"county{n}", seed=seed, county_model=0.8)
    reports, skipped = load_reports(synth.outdir / "reports")
    assert skipped == []
    apply_manifest(reports, read_manifest(synth.manifest))
    return reports, read_model(synth.outdir), read_truth(synth.outdir)


@pytest.mark.parametrize("n", [50, 300])
def test_county_model_text_is_regional_at_every_size(tmp_path, n):
    reports, model, truth = _synth_county(tmp_path, n)
    result = detect(reports)
    assert model["region"] == "丰河县" and len(model["members"]) > n // 2
    got = model_layers(result, model)
    # every sentence of the model, in every report holding it: the county's model, the county's
    # earliest report its source
    assert got["agreement"] == 1.0, got
    assert got["regions"] == {"丰河县": got["sentences"]}
    assert [Path(p).name for p in got["sources"]] == [Path(model["source"]).name]
    # the template layer holds the national template only; nothing is learned from one county
    purity = template_purity(result)
    assert purity["template_families"] > 0 and purity["not_national"] == 0 and purity["learned"] == 0
    # planted copies between two towns of the county stay cross_office, a town's own years self_copy
    planted = planted_layers(result, truth)
    assert planted["found"].sum() >= 0.95 * planted["planted"].sum()
    assert planted["agree"].sum() == planted["found"].sum(), planted
    # the towns' shares say so: the model is regional_model (and boilerplate), not template
    shares = result.reports_frame()
    overall = shares[shares["section"] == "all"].set_index("path")
    holders = {m["path"] for m in model["members"]} - {model["source"]}
    town = overall[[Path(p).parent.name + "/" + Path(p).name in holders for p in overall.index]]
    assert (town["regional_model_share"] > 0).all()
    assert (town["boilerplate_share"] >= town["regional_model_share"] + town["template_share"] - 1e-3).all()
    # the family table and the viewer name the county and its report as the source
    fams = result.families_frame()
    regional = fams[fams["layer"] == "regional_model"]
    assert len(regional) >= 3 and set(regional["region"]) == {"丰河县"}
    assert set(regional["source_office"]) == {"丰河县人民政府"} and (regional["offices"] >= 3).all()
    from nlp.report.viewer import viewer_data
    from nlp.report.viewer_page import page

    assert "mark.regional_model{" in page()
    index, _ = viewer_data(result)
    rows = [f for f in index["families"] if f[1] == "regional_model"]
    assert rows and {f[6] for f in rows} == {"丰河县"}  # the viewer's family table names the county


def test_layers_do_not_depend_on_the_order_reports_are_read(tmp_path):
    reports, model, _ = _synth_county(tmp_path, 60, seed=4)
    shuffled = reports[:]
    random.Random(1).shuffle(shuffled)

    def layers(result):
        t = result.table
        return sorted((t.docs[d].path, t.start[i], f.layer, f.region, t.docs[f.source].path)
                      for f in result.families for d, i in f.members)

    assert layers(detect(reports)) == layers(detect(shuffled))


def test_text_many_provinces_share_is_learned_and_listed(tmp_path):
    """A sentence no list knows, in most reports of offices of four provinces: learned template,
    written to template_learned.txt for review."""
    import nlp

    shared = "各地统一部署的年度政务公开重点任务清单已经逐项对照落实完毕并形成台账。"
    own = [("在农田水利建设中公开补助名单，接受村民逐户核对和监督。", "档案整理滞后，部分旧文件尚未数字化。"),
           ("围绕集镇改造发布征收公告，组织听证会回应商户关切。", "窗口人员轮岗频繁，答复口径不够统一。"),
           ("借助广播站播报低保审核结果，偏远山村也能及时知晓。", "网站栏目更新偏慢，留言回复时有拖延。"),
           ("把河道保洁经费明细张贴在各村公示栏里供群众查阅。", "经费紧张，公开设备老化未能及时更换。")]
    reports = []
    for k, (prov, town) in enumerate([("甲省", "石桥镇"), ("乙省", "柳河镇"), ("丙省", "青山镇"), ("丁省", "白水乡")]):
        text = (f"{town}人民政府2022年政府信息公开工作年度报告\n一、总体情况\n{shared}{own[k][0]}\n"
                f"五、存在的主要问题及改进情况\n{own[k][1]}\n")
        r = nlp.parse_report(text, f"{k}.txt")
        r.path, r.meta.office, r.meta.office_short = f"{k}.txt", town + "人民政府", town
        r.meta.level, r.meta.region, r.meta.province, r.meta.year = "镇", prov + "某县", prov, 2022
        reports.append(r)
    result = detect(reports, semantic=False)
    fams = _families_with(result, "逐项对照落实完毕")
    assert len(fams) == 1 and fams[0].layer == "template" and fams[0].learned and fams[0].areas == 4
    written = {p.name for p in result.write(tmp_path / "out")}
    assert "template_learned.txt" in written
    listed = (tmp_path / "out" / "template_learned.txt").read_text(encoding="utf-8").splitlines()
    rows = [l.split("\t") for l in listed if not l.startswith("#")]
    assert len(rows) == 1 and rows[0][0] == str(fams[0].id) and rows[0][1:4] == ["4", "4", "4"]
    assert "逐项对照落实完毕" in rows[0][4]
