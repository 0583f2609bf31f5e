"""Statement classifiers: hand-pinned labels, the API, the dev-set split and reproducible training."""
import json

import pytest

from conftest import ROOT, SEEDS, SHARED_REPORTS, seed_path
import nlp
from nlp.classify import StatementClassifier
from nlp.classify.model import MODEL_DIR, default_backend
from nlp.classify.weak import LABELS, TOPICS, clean_text, cue_features, weak_labels
from nlp.spacy_doc import report_to_doc

DEV = ROOT / "tests" / "data" / "statements_dev.jsonl"
#: What the shipped models were trained on (``govnlp train classifier`` in a checkout).
TRAINING_REPORTS = [SEEDS, SHARED_REPORTS]
P, I, B, N = ["problem"], ["improvement"], ["problem", "improvement"], []

# Section 五 of every seed, unit by unit, labelled by hand from reading it (text prefix, labels).
SEED_FIVE = {
    "000": [("（一）存在的主要问题", N), ("一是对《中华人民共和国政府信息公开条例》", P),
            ("二是工作人员缺乏专业技术支撑", P), ("三是推动政务公开和政府信息公开的力度有所欠缺", P),
            ("（二）改进计划", N), ("一是不断强化对工作人员的理论培训", I),
            ("二是扎实推进政府信息公开工作，多渠道", I), ("三是不断充实和完善信息公开内容", I)],
    "001": [("2021年，我镇政府信息公开工作虽然取得一定的成效", N), ("一是对《条例》和市、县", P),
            ("二是公开政府信息的主动性不够强", P), ("三是公开的内容和形式还欠丰富", P),
            ("2022年，我镇将按照《条例》", N), ("一是不断强化对工作人员尤其是基层信息员", I),
            ("二是紧紧围绕实施政府信息公开工作", I), ("三是进一步完善政府信息公开各项规章制度", I)],
    "002": [("（一）存在的问题。", N), ("2020年，我镇政府信息公开工作在上级主管部门", P),
            ("（二）具体的解决办法和改进措施。", N), ("一是加强组织领导", I), ("二是加大宣传力度", I),
            ("三是紧紧围绕中心工作", I)],
    "003": [("2023年，我镇对照县人民政府政务公开相关要求", N), ("一是信息公开范围狭窄", P),
            ("二是基层公开综合服务监管平台上机构信息更新不及时", P), ("三是信息内容不够丰富", P),
            ("下步改进方向：", N), ("一是探索建立政府信息公开工作人员管理长效机制", I),
            ("二是提高思想认识", I), ("三是完善工作指南", I)],
    "004": [("1、存在的主要问题。", N), ("2021年，", N), ("一是政府信息公开网站内容更新不及时", P),
            ("二是宣传力度不够", P), ("三是人员紧缺", P), ("2、改进情况。", N),
            ("一是着力提升政府信息公开工作实效", I), ("二是牢固树立以公开促工作的理念", I),
            ("三是深入开展政府信息公开方法举措创新", I)],
}

# Statements with no report around them, from the label definitions.
BARE = [("一是加强培训，提升工作人员业务水平。", I), ("三是继续加强业务指导培训。", I),
        ("下一步将进一步丰富政策解读形式。", I), ("一是信息更新不及时，下一步将明确专人负责更新。", B),
        ("解读形式不够丰富。", P), ("政务公开队伍建设仍需进一步加强。", P), ("工作人员缺乏培训。", P),
        ("仍存在一些不足", N), ("（一）主要问题", N), ("我镇仍然存在一些问题：", N),
        ("将采取以下措施加以改进:", N), ("全年主动公开政府信息231条。", N)]


def _by_hand(rows: list[dict], prefix: str) -> list[tuple[str, list[str]]]:
    """Pair each section-五 row with the hand label whose text it starts with (order kept)."""
    expected = SEED_FIVE[prefix]
    assert len(rows) == len(expected), [r["text"][:20] for r in rows]
    for row, (start, _) in zip(rows, expected):
        assert clean_text(row["text"]).startswith(start), (row["text"][:30], start)
    return [(start, labels) for start, labels in expected]


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    if not DEV.is_file():
        pytest.skip("the dev set tests/data/statements_dev.jsonl is not present")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", ["sklearn", "spacy"])
@pytest.mark.parametrize("prefix", sorted(SEED_FIVE))
def test_seed_section_five_gets_the_labels_a_reader_gives(name, prefix):
    report = nlp.load_report(seed_path(prefix))
    rows = StatementClassifier.load(name).classify_report(report, sections=["problems"])
    expected = _by_hand(rows, prefix)
    assert [(s, r["labels"]) for r, (s, _) in zip(rows, expected)] == expected


@pytest.mark.parametrize("prefix", sorted(SEED_FIVE))
def test_weak_labels_of_seed_section_five_agree_with_the_hand_labels(prefix):
    weak = [w for w in weak_labels(nlp.load_report(seed_path(prefix))) if w.unit.section == "problems"]
    rows = [{"text": w.unit.text} for w in weak]
    expected = _by_hand(rows, prefix)
    assert [sorted(w.labels, key=LABELS.index) for w in weak] == [labels for _, labels in expected]


@pytest.mark.parametrize("text,labels", BARE)
def test_bare_statements_need_no_report(text, labels):
    clf = StatementClassifier.load()
    assert clf.predict([text]) == [set(labels)]


def test_predict_api_shapes_and_inputs():
    clf = StatementClassifier.load("sklearn")
    texts = ["二是宣传力度不够，群众知晓度不高。", "全年主动公开政府信息231条。"]
    probs = clf.predict_proba(texts, ["problems", "overview"])
    assert [set(p) for p in probs] == [set(LABELS)] * 2
    assert all(0.0 <= v <= 1.0 for p in probs for v in p.values())
    assert clf.predict(texts, "problems") == [{"problem"}, set()]  # one section for all
    assert clf.predict([]) == [] and clf.predict_topics([]) == []
    topic_probs = clf.predict_topic_proba(texts)
    assert [set(p) for p in topic_probs] == [set(TOPICS)] * 2
    with pytest.raises(ValueError):
        clf.predict(texts, ["problems"])
    with pytest.raises(ValueError):
        StatementClassifier.load("bert")


def test_section_context_turns_a_measure_into_an_achievement():
    clf = StatementClassifier.load("sklearn")
    text = "不断加大政策解读力度，全年发布政策解读材料15篇，并组织业务培训2次。"
    assert clf.predict([text, text], ["overview", "problems"])[0] == set()


def test_topics_follow_the_wording_and_only_labelled_units_get_them():
    clf = StatementClassifier.load()
    texts = ["二是宣传力度不够，群众对政府信息公开知晓度不高。", "三是继续加强业务指导培训。",
             "二是政策解读形式较为单一。", "（二）改进措施："]
    got = clf.predict_topics(texts, "problems")
    assert "publicity" in got[0] and "training" in got[1] and "interpretation" in got[2]
    assert got[3] == set()
    assert clf.predict_topics(["网站栏目设置"], "overview") == [set()]  # gated: no label


def test_classify_report_rows_point_into_the_report():
    report = nlp.load_report(seed_path("000"))
    rows = StatementClassifier.load().classify_report(report)
    assert rows and {"path", "office", "year", "section", "start", "end", "text", "labels", "topics",
                     "scores"} <= set(rows[0])
    for row in rows:
        assert report.text[row["start"]:row["end"]] == row["text"]
        assert row["topics"] == [] or row["labels"]
        assert set(row["scores"]) == set(LABELS) | set(TOPICS)
    assert all(not r["labels"] for r in rows if r["section"] != "problems")


def test_spacy_component_writes_labels_on_unit_spans():
    from nlp.classify import statements_nlp

    pipe = statements_nlp("sklearn")
    report = nlp.load_report(seed_path("001"))
    doc = pipe(report.text)
    spans = doc.spans["statements"]
    expected = StatementClassifier.load("sklearn").classify_report(report)
    assert [(s.start_char, s.end_char, s._.labels) for s in spans] == \
        [(r["start"], r["end"], r["labels"]) for r in expected]
    doc2 = pipe.get_pipe("govnlp_statements")(report_to_doc(report))  # a Doc that carries its report
    assert [s._.labels for s in doc2.spans["statements"]] == [s._.labels for s in spans]
    bare = pipe("三是公开的内容和形式还欠丰富。")
    assert [(s.text, s._.labels) for s in bare.spans["statements"]] == \
        [("三是公开的内容和形式还欠丰富。", ["problem"])]


@pytest.mark.parametrize("backend", ["sklearn", "spacy"])
def test_saved_pipeline_carries_its_classifier(backend, tmp_path):
    """A pipeline saved with nlp.to_disk (or to_bytes) gives the same scores after its source
    model folder is gone: the component wrote the classifier itself."""
    import shutil

    import spacy

    from nlp.classify import statements_nlp
    from nlp.classify.model import classifier_dir

    source = shutil.copytree(classifier_dir(), tmp_path / "models")
    pipe = statements_nlp(backend, str(source))
    text = "三是公开的内容和形式还欠丰富。"
    doc = pipe(text)
    before = doc.spans["statements"][0]._.scores
    pipe.to_disk(tmp_path / "pipe")
    data = pipe.to_bytes()
    shutil.rmtree(source)
    saved = tmp_path / "pipe" / "govnlp_statements"
    assert json.loads((saved / "default.json").read_text())["default"] == backend
    loaded = spacy.load(tmp_path / "pipe")
    doc = loaded(text)
    assert doc.spans["statements"][0]._.scores == before
    fresh = statements_nlp(backend, str(tmp_path / "gone")).from_bytes(data)
    doc = fresh(text)
    assert doc.spans["statements"][0]._.labels == ["problem"]
    assert doc.spans["statements"][0]._.scores == before


def test_cue_features_tell_a_shortfall_from_a_measure():
    need = cue_features("一是政务公开队伍建设有待进一步加强；")
    measure = cue_features("一是进一步加强政务公开队伍建设；")
    assert need["shortfall"] == 1 and need["measure_open"] == 0
    assert measure["shortfall"] == 0 and measure["measure_open"] == 1
    assert cue_features("但仍存在一些不足和薄弱环节。")["generic"] == 1
    assert cue_features("但仍存在一些不足，如：队伍建设有待加强；")["generic"] == 0
    assert cue_features("下一步整改措施：")["leadin"] == 1


def test_default_model_is_sklearn_and_meets_the_target():
    """sklearn stays the default (issue 12: deterministic retrain, fast); its dev macro F1 with
    contexts is at least 0.95, and so is the score of units read alone."""
    from nlp.classify.train import DEFAULT_BACKEND

    scores = json.loads((MODEL_DIR / "scores.json").read_text(encoding="utf-8"))
    assert default_backend() == DEFAULT_BACKEND == "sklearn" == StatementClassifier.load().name
    assert scores["dev_context"] == "in context"
    assert scores["models"]["sklearn"]["macro_f1"] >= 0.95
    assert scores["models"]["sklearn"]["read_alone"]["macro_f1"] >= 0.95


@pytest.fixture(scope="module")
def dev_context(dev) -> list[tuple[str, ...]]:
    """Each dev unit's context in its shared report (the dev set is scored where units stand)."""
    from nlp.classify.evaluate import dev_contexts

    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    return dev_contexts(dev, [SHARED_REPORTS])


def test_dev_units_get_the_context_of_their_section_five_unit(dev, dev_context):
    by_span = {(d["file"], d["start"]): c for d, c in zip(dev, dev_context)}
    # 017 (二)改进情况: the measures stand under the improvement part and its lead-in
    assert {"part=improvement", "leadin=improvement", "state=improvement"} <= set(by_span["017.txt", 4374])
    # 007: the first problem follows the lead-in "…还存在一些问题和不足："
    assert {"leadin=problem", "prev=leadin", "state=problem"} <= set(by_span["007.txt", 3387])
    assert all(c == () for d, c in zip(dev, dev_context) if d["section"] != "problems")


def test_shipped_models_give_the_recorded_dev_scores(dev, dev_context):
    from nlp.classify.train import evaluate

    scores = json.loads((MODEL_DIR / "scores.json").read_text(encoding="utf-8"))
    for name in ("sklearn", "spacy"):
        clf = StatementClassifier.load(name)
        got = evaluate(clf, dev, dev_context)
        assert got["labels"] == scores["models"][name]["labels"], name
        assert got["topics"] == scores["models"][name]["topics"], name
        assert evaluate(clf, dev)["macro_f1"] == scores["models"][name]["read_alone"]["macro_f1"]


@pytest.mark.slow  # ~5 s: near-duplicate search over the training set
def test_training_set_holds_no_dev_unit_and_no_copy_of_one(dev):
    from nlp.classify.train import _near_duplicate, _shingles, build_training_set, training_paths

    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    paths = training_paths(TRAINING_REPORTS)
    ts = build_training_set(dev, paths=paths)
    spans = {(d["file"], d["start"], d["end"]) for d in dev}
    dev_sh = [_shingles(d["text"]) for d in dev]
    for e in ts.examples:
        if e.start is not None and e.source.startswith("weak"):
            assert not any(f == e.file and s < e.end and e.start < t for f, s, t in spans), e
        assert not any(_near_duplicate(_shingles(e.text), d) for d in dev_sh), e.text[:30]
    unfiltered = build_training_set([], paths=paths)
    assert unfiltered.stats["dropped_dev_offsets"] == unfiltered.stats["dropped_dev_text"] == 0
    dropped = ts.stats["dropped_dev_offsets"] + ts.stats["dropped_dev_text"]
    assert dropped >= len(dev) // 2  # the dev units were found and left out
    assert len(unfiltered.examples) > len(ts.examples)


@pytest.fixture(scope="module")
def retrained(tmp_path_factory, dev):
    from nlp.classify.train import train_classifiers

    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    return train_classifiers(tmp_path_factory.mktemp("classifier"), seed=0, dev_path=DEV,
                             reports=TRAINING_REPORTS)


@pytest.mark.slow  # retrains both backends (~16 s here)
def test_retraining_from_scratch_reproduces_the_shipped_sklearn_dev_scores(retrained):
    shipped = json.loads((MODEL_DIR / "scores.json").read_text(encoding="utf-8"))["models"]["sklearn"]
    got = retrained["models"]["sklearn"]
    assert abs(got["macro_f1"] - shipped["macro_f1"]) <= 0.01
    for k in LABELS:
        assert abs(got["labels"][k]["f1"] - shipped["labels"][k]["f1"]) <= 0.01, k
    assert abs(got["topic_macro_f1"] - shipped["topic_macro_f1"]) <= 0.01


#: spaCy's textcat trains through blis, whose kernels are chosen by the CPU: the same seed, data
#: and versions gave macro F1 0.9275 on the machine that trained the first shipped model and 0.881
#: on another (deterministic on each). So the spaCy model is held to floors, not to the shipped
#: score (the one shipped with contexts scores 0.947; retrains here ranged 0.947-0.987).
SPACY_RETRAIN_FLOOR = {"macro_f1": 0.85, "label_f1": 0.80, "topic_macro_f1": 0.60}


@pytest.mark.slow  # retrains both backends (~16 s here)
def test_retraining_spacy_from_scratch_stays_above_its_floors(retrained):
    got = retrained["models"]["spacy"]
    assert got["macro_f1"] >= SPACY_RETRAIN_FLOOR["macro_f1"]
    for k in LABELS:
        assert got["labels"][k]["f1"] >= SPACY_RETRAIN_FLOOR["label_f1"], k
    assert got["topic_macro_f1"] >= SPACY_RETRAIN_FLOOR["topic_macro_f1"]
