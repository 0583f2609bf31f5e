"""Topic models on the seeds (and the shared reports when present): reproducible, clean words,
real examples, NPMI checked by hand, boilerplate dropped, plots with Chinese that renders."""
import io
import math
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from sklearn.base import clone

import nlp
from conftest import SHARED_REPORTS
from nlp.reuse.boilerplate import boilerplate_spans
from nlp.reuse.detect import detect
from nlp.text.tokenize import stopwords
from nlp.topics import TopicModel, fit_topics, npmi, npmi_matrix, topic_npmi, unit_frame
from nlp.topics.model import is_boilerplate


@pytest.fixture(scope="module")
def seeds():
    return nlp.corpora.load("seeds")


@pytest.fixture(scope="module")
def texts(seeds):
    return {r.path: r.text for r in seeds}


@pytest.fixture(scope="module")
def reuse(seeds):
    return detect(seeds.reports)


@pytest.fixture(scope="module")
def shared():
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    return nlp.Corpus(SHARED_REPORTS, progress=False)


# -- reproducibility ------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_seed_gives_identical_topics(seeds, method):
    a = fit_topics(seeds, section=None, method=method, n_topics=4, seed=7,
                   max_iter=30 if method == "lda" else None)
    b = fit_topics(seeds, section=None, method=method, n_topics=4, seed=7,
                   max_iter=30 if method == "lda" else None)
    assert a.model.topic_words(10) == b.model.topic_words(10)
    assert np.array_equal(a.doc_topic, b.doc_topic)
    assert a.topics.equals(b.topics) and a.documents.equals(b.documents)
    # a plain scikit-learn estimator: clone() refits to the same topics
    # (on the text the model read: fitting order, office names masked)
    from nlp.topics.model import corpus_names, mask_names

    names = corpus_names(seeds.reports)
    again = clone(a.model).fit([mask_names(t, names) for t in a.model.documents_])
    assert again.topic_words(10) == a.model.topic_words(10)


def test_lda_seed_is_used(seeds):
    """A different seed starts LDA elsewhere. (NMF's NNDSVDa start only takes the seed in its
    randomized SVD, so NMF topics barely move with it, and nothing is asserted about that.)"""
    docs = unit_frame(seeds.reports, None)["text"].tolist()
    a = TopicModel("lda", 4, random_state=0, max_iter=10).fit(docs)
    b = TopicModel("lda", 4, random_state=1, max_iter=10).fit(docs)
    assert not np.allclose(a.components_, b.components_)


def test_topics_are_numbered_by_size(seeds):
    result = fit_topics(seeds, section=None, n_topics=4)
    share = result.doc_topic.sum(axis=0)
    assert list(share) == sorted(share, reverse=True)


# -- words ----------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_top_words_have_no_stop_words_years_or_office_names(seeds, method):
    result = fit_topics(seeds, section=None, method=method, n_topics=4)
    words = set(result.top_words(15)["word"])
    vocab = set(result.model.vocabulary_)
    assert not words & stopwords()
    assert not vocab & {"我镇", "进一步", "加强", "本年度", "杜市", "市镇", "董家", "人民政府"}
    assert not [w for w in vocab if re.search(r"[0-9０-９]", w)]
    assert "年度报告" in vocab  # a word ending in 年度 is not a year


def test_domain_terms_stay_whole(seeds):
    result = fit_topics(seeds, section=None, n_topics=4, drop_template=False)
    vocab = set(result.model.vocabulary_)
    assert {"依申请公开", "政府信息公开", "主动公开", "政务公开", "政府信息公开工作"} <= vocab
    assert "中华人民共和国政府信息公开条例" in set(result.top_words(10)["word"])


# -- documents and examples -----------------------------------------------------------------
def test_representative_statements_slice_report_text(seeds, texts):
    result = fit_topics(seeds, section="problems", n_topics=3)
    rep = result.representative(3)
    assert set(rep["topic"]) == {0, 1, 2} and (rep.groupby("topic").size() <= 3).all()
    for row in rep.itertuples():
        assert texts[row.path][row.start:row.end] == row.text
        assert row.section == "problems" and row.office
    # each topic's examples are its highest-share documents
    for k, rows in rep.groupby("topic"):
        assert rows["weight"].iloc[0] == pytest.approx(result.doc_topic[:, k].max())


def test_documents_frame(seeds, texts):
    result = fit_topics(seeds, section="problems", n_topics=3)
    docs = result.documents
    assert list(docs.columns) == ["path", "office", "level", "region", "year", "section", "start",
                                  "end", "kind", "text", "statement", "topic", "weight"]
    assert all(texts[p][a:b] == t
               for p, a, b, t in zip(docs["path"], docs["start"], docs["end"], docs["text"]))
    assert set(docs["kind"]) <= {"item", "sentence"}  # part headings are no documents
    assigned = docs["topic"] >= 0
    assert np.allclose(result.doc_topic[assigned.to_numpy()].sum(axis=1), 1)
    assert result.topics["documents"].sum() == assigned.sum()


def test_over_time_and_by_class(seeds):
    result = fit_topics(seeds, section=None, n_topics=4)
    years = result.over_time()
    assert list(years.index) == [2020, 2021, 2023] and list(years.columns) == [0, 1, 2, 3]
    assert np.allclose(years.sum(axis=1), 1)
    # 2020 is 董家镇 alone: its row is the mean of its units' topic shares
    docs = result.documents
    mask = ((docs["year"] == 2020) & (docs["topic"] >= 0)).to_numpy()
    assert np.allclose(years.loc[2020], result.doc_topic[mask].mean(axis=0))
    share = result.over_time("share")
    counts = docs[mask]["topic"].value_counts(normalize=True)
    assert np.allclose(share.loc[2020], [counts.get(k, 0) for k in range(4)])
    regions = result.by_class("region", "share")
    assert set(regions.index) == {"丰城市", "正宁县", "卢氏县", "集贤县"}
    assert np.allclose(regions.sum(axis=1), 1)
    assert list(result.by_class("level").index) == ["镇"]


def test_label_filter_uses_the_classifier(seeds):
    seen = {}

    class Stub:
        def predict(self, texts, sections=None):
            seen["sections"] = set(sections)
            return [{"problem"} if "不够" in t else {"improvement"} for t in texts]

    result = fit_topics(seeds, section="problems", label="problem", classifier=Stub(), n_topics=2,
                        drop_template=False)
    units = unit_frame(seeds.reports, "problems")
    assert seen["sections"] == {"problems"}
    assert len(result.documents) == units["text"].str.contains("不够").sum() > 0
    assert result.documents["text"].str.contains("不够").all()


# -- coherence ------------------------------------------------------------------------------
def test_npmi_by_hand_on_a_toy_corpus():
    docs = [["a", "b"], ["a", "b"], ["a", "c"], ["c"]]
    # P(a)=3/4, P(b)=1/2, P(c)=1/2, P(a,b)=1/2, P(a,c)=1/4, P(b,c)=0
    ab = math.log((1 / 2) / (3 / 4 * 1 / 2)) / -math.log(1 / 2)
    ac = math.log((1 / 4) / (3 / 4 * 1 / 2)) / -math.log(1 / 4)
    assert ab == pytest.approx(0.41504, abs=1e-5) and ac == pytest.approx(-0.29248, abs=1e-5)
    got = topic_npmi([["a", "b"], ["a", "c"], ["b", "c"], ["a", "b", "c"]], docs)
    assert got == pytest.approx([ab, ac, -1.0, (ab + ac - 1) / 3])
    assert npmi(0.5, 0.5, 0.5) == pytest.approx(1.0)  # always together
    assert npmi(0.5, 0.5, 0.25) == pytest.approx(0.0)  # independent
    assert npmi(1.0, 1.0, 1.0) == 1.0 and npmi(0.5, 0.0, 0.0) == -1.0  # the limits
    m = npmi_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]], dtype=bool))
    assert m[0, 1] == pytest.approx(ab) and m[1, 2] == -1 and np.allclose(m, m.T)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_model_coherence_in_range_and_both_paths_agree(seeds, method):
    result = fit_topics(seeds, section=None, method=method, n_topics=4)
    values = result.model.coherence()
    assert values.shape == (4,) and ((values >= -1) & (values <= 1)).all()
    assert np.allclose(result.topics["coherence"], values.round(4))
    # the stored document-term matrix and re-tokenised reference documents give the same NPMI
    from nlp.topics.model import corpus_names, mask_names

    names = corpus_names(seeds.reports)  # the model read the text with office names masked
    again = result.model.coherence(
        reference_docs=[mask_names(t, names) for t in result.documents["text"]])
    assert np.allclose(values, again)


# -- boilerplate ----------------------------------------------------------------------------
SHARED_SENTENCE = "未发生政务公开责任追究情况"


def test_drop_boilerplate_removes_units_copied_between_offices(seeds, reuse):
    kept = fit_topics(seeds, section="overview", n_topics=3).documents
    dropped = fit_topics(seeds, section="overview", n_topics=3, drop_boilerplate=True, reuse=reuse)
    assert kept["text"].str.contains(SHARED_SENTENCE).sum() == 2
    assert not dropped.documents["text"].str.contains(SHARED_SENTENCE).any()

    def key(frame):
        return {(p.rsplit("/", 1)[-1][:3], "".join(t.split())[:10])
                for p, t in zip(frame["path"], frame["text"])}

    # exactly: the two-sentence passage 杜市镇 2021 copied from 董家镇 2020 (cross-office), and
    # 杜关镇's 统计期限 sentence (template); everything else, all of 升昌镇 (004) included, stays
    assert key(kept) - key(dropped.documents) == {
        ("000", "2021年我镇在市政"), ("000", "2021年我镇未发生"),
        ("002", "2020年我镇在市政"), ("002", "2020年我镇未发生"), ("003", "本报告中所列数据的统")}
    assert dropped.params["boilerplate_dropped"] == len(kept) - len(dropped.documents) == 5


def test_drop_boilerplate_computes_reuse_itself(seeds):
    """The improvement item 永正镇 copied from 杜市镇 goes from both, with no reuse given."""
    copied = "政府信息公开工作，多渠道、多形式，向社会和广大群众"
    kept = fit_topics(seeds, section="problems", n_topics=3).documents
    dropped = fit_topics(seeds, section="problems", n_topics=3, drop_boilerplate=True)
    assert kept["text"].str.contains(copied).sum() == 2
    assert not dropped.documents["text"].str.contains(copied).any()
    assert dropped.params["boilerplate_dropped"] == 2


# -- plots ----------------------------------------------------------------------------------
def _missing_glyphs(draw) -> tuple[list[bytes], list[str]]:
    """Build figures with ``draw()`` and save them as PNG; the "Glyph … missing" warnings of both
    steps (matplotlib lays text out, and warns, already in tight_layout)."""
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pngs = []
        for fig in draw():
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            pngs.append(buf.getvalue())
            plt.close(fig)
    return pngs, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_plots_render_chinese_without_missing_glyphs(seeds):
    import matplotlib.pyplot as plt

    from nlp.plots.fonts import use_cjk_font
    from nlp.topics import plots

    result = fit_topics(seeds, section=None, n_topics=3)

    def bare():
        fig, ax = plt.subplots()
        ax.set_title("主题随年度变化")
        return [fig]

    def topic_plots():
        top = plots.plot_top_words(result, 8)
        labels.extend(t.get_text() for t in top.axes[0].get_yticklabels())
        return [top, plots.plot_over_time(result).figure,
                plots.plot_over_time(result, kind="line").figure,
                plots.plot_by_class(result, "region").figure]

    labels: list[str] = []
    try:
        with matplotlib.rc_context():
            matplotlib.rcdefaults()  # start from matplotlib's own fonts, as on a bare machine
            use_cjk_font.cache_clear()
            _, missing = _missing_glyphs(bare)
            assert missing, "the check must see missing glyphs when no CJK font is set"
            pngs, missing = _missing_glyphs(topic_plots)
            assert len(pngs) == 4 and all(p.startswith(b"\x89PNG") for p in pngs)
            assert not missing, missing[:3]
            assert labels == result.model.topic_words(8)[0]
    finally:
        use_cjk_font.cache_clear()  # rc_context restored the old fonts; let the next plot re-apply


def test_write_outputs(seeds, tmp_path):
    result = fit_topics(seeds, section="problems", n_topics=3)
    names = {p.name for p in result.write(tmp_path)}
    assert {"topics.csv", "documents.csv", "top_words.csv", "representative.csv", "over_time.csv",
            "by_level.csv", "by_region.csv", "year_counts.csv", "top_words.png", "over_time.png", "by_level.png",
            "by_region.png"} == names
    assert all((tmp_path / n).stat().st_size > 0 for n in names)


# -- the shared corpus ----------------------------------------------------------------------
def test_shared_corpus_topics(shared):
    a = fit_topics(shared, section="problems", n_topics=8, seed=0)
    b = fit_topics(shared, section="problems", n_topics=8, seed=0)
    assert a.model.topic_words() == b.model.topic_words()
    coherence = a.topics["coherence"]
    assert coherence.between(-1, 1).all() and coherence.mean() > 0
    texts = {r.path: r.text for r in shared}
    for row in a.representative(3).itertuples():
        assert texts[row.path][row.start:row.end] == row.text
    # some topic is about 依申请公开 and some about 政策解读: the section's real subjects
    words = a.model.topic_words(5)
    assert any("依申请公开" in t for t in words) and any("政策解读" in t for t in words)
    years = a.over_time()
    assert list(years.index) == sorted({r.meta.year for r in shared})
    assert np.allclose(years.sum(axis=1), 1)
    levels = a.by_class("level")
    assert {"区", "市", "部门"} <= set(levels.index)
    assert "未知" in a.by_class("region").index  # 平潭's reports name no region above it


def test_drop_boilerplate_on_shared_corpus(shared):
    reuse = detect(shared.reports)
    kept = fit_topics(shared, section=None, n_topics=8)
    dropped = fit_topics(shared, section=None, n_topics=8, drop_boilerplate=True, reuse=reuse)
    assert dropped.params["boilerplate_dropped"] > 0
    # the template sentence on the period the figures cover (统计期限 …) is gone
    def periods(result):
        return result.documents["text"].str.contains("统计期限").sum()

    assert periods(kept) >= 12 and periods(dropped) <= 1
    # text an office only repeats from its own earlier reports (self-copy) is not boilerplate
    units = unit_frame(shared.reports, None)
    boiler = is_boilerplate(units, boilerplate_spans(reuse))
    own = is_boilerplate(units, boilerplate_spans(reuse, layers=("self_copy",))) & ~boiler
    assert own.sum() >= 10
    left = set(zip(dropped.documents["path"], dropped.documents["start"]))
    assert all((p, a) in left for p, a in zip(units["path"][own], units["start"][own]))
    assert not any((p, a) in left for p, a in zip(units["path"][boiler], units["start"][boiler]))


# -- the genre out, readable topics, order-independent (issue 16) ---------------------------
def _real(shared, seeds):
    return list(seeds.reports) + list(shared.reports)


#: What a reader names each topic of section 五 (k = 6) by, and a word that says so; every
#: model must have a topic for each of these four subjects (benchmarks/topics.md has the rest).
SUBJECTS = {"政策解读": {"政策解读"}, "依申请公开": {"依申请公开"},
            "人员队伍与培训": {"培训", "队伍", "工作人员", "人员"},
            "平台网站与互动": {"平台", "网站", "政府网站", "互动", "政务新媒体"}}


@pytest.mark.parametrize("method", ["nmf", "embedding"])
def test_real_section_five_topics_are_nameable_and_free_of_the_template(shared, seeds, method):
    from nlp.text.tokenize import template_words

    result = fit_topics(_real(shared, seeds), section="problems", method=method, n_topics=6)
    words = result.model.topic_words(10)
    template = template_words()
    assert all(sum(w in template for w in t) <= 1 for t in words), words
    # no office name fragment (科委 of 上海市科委) and no cut after a number (日止)
    flat = {w for t in words for w in t}
    assert not flat & {"科委", "日止", "日至", "按程", "守规", "政府信息公开", "存在", "不够"}
    for name, anchors in SUBJECTS.items():
        assert any(anchors & set(t[:5]) for t in words), (name, words)
    assert list(result.topics["label"]) == ["·".join(t[:3]) for t in words]


@pytest.mark.parametrize("method", ["nmf", "lda", "embedding"])
def test_topics_do_not_depend_on_input_order(seeds, method):
    reports = list(seeds.reports)
    a = fit_topics(reports, section=None, method=method, n_topics=4)
    b = fit_topics(reports[::-1], section=None, method=method, n_topics=4)
    assert a.model.topic_words(10) == b.model.topic_words(10)
    assert a.documents.equals(b.documents) and np.array_equal(a.doc_topic, b.doc_topic)


def test_embedding_topics_order_independent_on_real_reports(shared, seeds):
    import random

    reports = _real(shared, seeds)
    shuffled = reports[:]
    random.Random(3).shuffle(shuffled)
    a = fit_topics(reports, section="problems", method="embedding", n_topics=6)
    b = fit_topics(shuffled, section="problems", method="embedding", n_topics=6)
    assert a.model.topic_words(10) == b.model.topic_words(10)
    assert a.documents.equals(b.documents)
    assert (a.documents["topic"] >= 0).all()  # every unit assigned: no outlier topic


def test_reduce_topics_merges_to_k(seeds):
    from nlp.topics.embedding import EmbeddingTopicModel, ctfidf

    docs = sorted(set(unit_frame(seeds.reports, None)["text"]))
    model = EmbeddingTopicModel(n_topics=6).fit(docs)
    assert model.components_.shape[0] == 6 and set(model.labels_) == set(range(6))
    sizes = np.bincount(model.labels_)
    model.reduce_topics(3)
    assert model.components_.shape[0] == 3
    assert sorted(np.bincount(model.labels_), reverse=True) == list(np.bincount(model.labels_))
    assert np.bincount(model.labels_).sum() == sizes.sum()
    # c-TF-IDF by hand: word 0 in both classes is down-weighted against word 1 in one
    w = ctfidf(np.array([[2, 2], [2, 0]]))
    assert w[0, 1] > w[0, 0] and np.allclose(w.sum(axis=1), 1)


def test_names_are_masked_in_the_text_the_model_reads(seeds):
    from nlp.topics.model import corpus_names, mask_names

    names = corpus_names(seeds.reports)
    office = seeds.reports[0].meta.office
    assert office in names and names == tuple(sorted(names, key=lambda n: (-len(n), n)))
    assert office not in mask_names(f"{office}政务公开", names)


def test_statement_column_and_year_counts(seeds):
    class Stub:
        def predict(self, texts, sections=None):
            return [{"problem"} if "不够" in t else {"improvement"} for t in texts]

    result = fit_topics(seeds, section="problems", n_topics=3, statements=True, classifier=Stub())
    docs = result.documents
    assert set(docs["statement"]) == {"problem", "improvement"}
    assert (docs["statement"] == "problem").sum() == docs["text"].str.contains("不够").sum()
    assert set(result.by_class("statement").index) == {"problem", "improvement"}
    counts = result.counts("year")
    assert list(counts["year"]) == sorted(docs["year"].unique())
    assert counts["units"].sum() == len(docs) and not counts["enough"].all()
    row = counts.set_index("year").loc[2020]
    assert row["reports"] == 1 and row["units"] == (docs["year"] == 2020).sum()


def test_over_time_plot_shows_n_and_greys_thin_years(seeds):
    import matplotlib.pyplot as plt

    from nlp.topics import plots

    result = fit_topics(seeds, section=None, n_topics=3)
    counts = result.counts("year", min_units=30).set_index("year")
    ax = plots.plot_over_time(result, min_units=30)
    ticks = ax.get_xticklabels()
    assert [t.get_text().split("\n")[0] for t in ticks] == [str(y) for y in counts.index]
    for t, (year, row) in zip(ticks, counts.iterrows()):
        assert f"n={row['assigned']}·{row['reports']}份" in t.get_text()
        assert (t.get_color() == "black") == bool(row["enough"])
    plt.close(ax.figure)


def test_frames_follow_the_schema(seeds):
    from nlp.dataset.schema import names

    result = fit_topics(seeds, section="problems", n_topics=3)
    assert list(result.topics.columns) == names("topics")
    assert list(result.documents.columns) == names("topic_documents")
    assert list(result.counts("year").columns) == names("topic_year_counts")


def test_cli_embedding_topics_print_their_labels(tmp_path):
    from typer.testing import CliRunner

    from cli import app
    from conftest import SEEDS

    out = tmp_path / "topics"
    done = CliRunner().invoke(app, ["topics", str(SEEDS), "-s", "all", "-k", "3", "-m", "embedding",
                                    "--statements", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("EMBEDDING k=3")
    labelled = [l for l in done.stdout.splitlines() if "units  " in l]
    assert len(labelled) == 3 and all("·" in l.split("units  ", 1)[1].split(":")[0] for l in labelled)
    assert (out / "topics.csv").is_file()


def test_select_keeps_the_topics_and_recounts_the_subset(seeds):
    class Stub:
        def predict(self, texts, sections=None):
            return [{"problem"} if "不够" in t else {"improvement"} for t in texts]

    result = fit_topics(seeds, section="problems", n_topics=3, statements=True, classifier=Stub())
    mask = result.documents["statement"] == "problem"
    sub = result.select(mask)
    assert len(sub.documents) == mask.sum() and set(sub.documents["statement"]) == {"problem"}
    assert sub.documents["text"].str.contains("不够").all()
    assert list(sub.topics["words"]) == list(result.topics["words"])
    assert sub.topics["documents"].sum() == (sub.documents["topic"] >= 0).sum() < len(result.documents)
    assert sub.counts("year")["units"].sum() == mask.sum()
    with pytest.raises(ValueError, match="mask"):
        result.select([True])


def test_topic_model_default_agrees_with_fit_topics_and_old_imports_work():
    from nlp.topics.embedding import EmbeddingTopicModel
    from nlp.topics.model import MIN_UNITS, TopicResult, unit_frame as old_unit_frame

    assert TopicModel().drop_template is True and EmbeddingTopicModel().drop_template is True
    assert old_unit_frame is unit_frame and TopicResult.__module__ == "nlp.topics.corpus"
    assert MIN_UNITS == 10
    docs = ["存在工作人员业务培训不足的问题", "存在政策解读形式单一的问题"] * 3
    words = set(TopicModel("lda", n_topics=2, min_df=1).fit(docs).vocabulary_)
    assert {"政策解读", "形式", "单一", "工作人员", "业务培训"} <= words
    assert not words & {"存在", "问题", "不足"}  # template words, out by default
    kept = set(TopicModel("lda", n_topics=2, min_df=1, max_df=1.0, drop_template=False).fit(docs).vocabulary_)
    assert {"存在", "问题", "不足"} <= kept


def test_name_masker_gives_what_the_plain_loop_gives(seeds, shared):
    from nlp.topics.names import corpus_names, mask_names, name_masker

    reports = [*seeds.reports, *shared.reports]
    names = corpus_names(reports)
    mask = name_masker(names)
    texts = unit_frame(reports, None)["text"].tolist()
    masked = [mask(t) for t in texts]
    assert masked == [mask_names(t, names) for t in texts]
    assert sum(m != t for m, t in zip(masked, texts)) > 50  # names really were masked
    # overlapping names: the longer one first, whatever comes first in the text
    assert name_masker(("乙丙丁", "甲乙"))("甲乙丙丁") == mask_names("甲乙丙丁", ("乙丙丁", "甲乙"))


def test_ward_above_its_limit_samples_and_assigns_the_rest_to_the_nearest_centroid():
    from sklearn.metrics import adjusted_rand_score

    from nlp.topics.embedding import _ward

    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    offsets = np.array([[(i % 5) * 0.1, (i // 5) * 0.1] for i in range(20)])
    vectors = np.vstack([c + offsets for c in centres])  # three blobs of 20
    truth = np.repeat([0, 1, 2], 20)
    sampled = _ward(vectors, 3, max_ward=15)  # every 4th row clustered, the rest assigned
    assert adjusted_rand_score(truth, sampled) == 1.0


def test_sampled_ward_keeps_embedding_topics_order_independent(seeds, monkeypatch):
    from nlp.topics import embedding

    monkeypatch.setattr(embedding, "MAX_WARD", 60)
    reports = list(seeds.reports)
    a = fit_topics(reports, section=None, method="embedding", n_topics=4)
    b = fit_topics(reports[::-1], section=None, method="embedding", n_topics=4)
    assert a.params["units"] > 2 * 60  # the sample really was used
    assert a.model.topic_words(10) == b.model.topic_words(10)
    assert a.documents.equals(b.documents) and (a.documents["topic"] >= 0).all()
