"""Tokenisation for analysis: domain terms stay whole, genre stop words go."""
import pickle

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from conftest import seed_path
from nlp.text.tokenize import ChineseTokenizer, tokenize, words


@pytest.mark.parametrize("term", ["政府信息公开", "依申请公开", "主动公开", "行政复议", "政务公开专区",
                                  "行政规范性文件", "政务新媒体", "政府信息公开条例", "政策解读"])
def test_domain_terms_stay_one_token(term):
    assert term in words(f"我镇的{term}，成效明显。")


def test_stop_words_numbers_and_office_pronouns_are_dropped():
    tokens = tokenize("2021年我镇进一步加强政府信息公开工作，主动公开政府信息231条。")
    assert "我镇" not in tokens and "进一步" not in tokens and "2021" not in tokens
    assert "政府信息公开工作" in tokens and "主动公开" in tokens and "政府信息" in tokens


def test_sklearn_vectorizer_on_real_text_and_pickling():
    text = seed_path("000").read_text(encoding="utf-8")
    vec = TfidfVectorizer(tokenizer=ChineseTokenizer(), token_pattern=None, lowercase=False)
    vec.fit([text, seed_path("002").read_text(encoding="utf-8")])
    vocab = set(vec.vocabulary_)
    assert {"依申请公开", "政务公开"} <= vocab and "我镇" not in vocab
    again = pickle.loads(pickle.dumps(vec))
    assert again.transform([text]).nnz == vec.transform([text]).nnz


# -- issue 16: no fragments, no cuts next to numbers, the template list as data ---------------
def test_no_hmm_fragments_and_no_cut_after_a_number():
    text = "截至2021年12月31日止，严格按程序办理，守规矩，6月底前完成3项整改，自1月1日起至年底"
    got = tokenize(text)
    assert not {"日止", "按程", "守规", "月底", "项整改", "日起", "日至"} & set(got)
    assert {"按程序", "办理", "守规矩", "整改"} <= set(got)
    assert "依申请公开" in tokenize("依申请公开答复")  # dictionary words still whole


@pytest.mark.parametrize("term", ["基层政务公开", "政务新媒体", "政策解读", "依申请公开", "长效机制"])
def test_new_domain_terms_stay_whole(term):
    assert term in tokenize(f"加强{term}工作")


def test_template_words_are_reviewed_data():
    from importlib import resources

    from nlp.text.tokenize import template_words

    raw = resources.files("nlp.text").joinpath("template_words.txt").read_text(encoding="utf-8")
    assert raw.startswith("#") and "reviewed" in raw.split("\n\n")[0]
    words_ = template_words()
    assert {"政府信息公开", "存在", "进一步", "加强", "有待", "不够", "问题"} <= words_
    assert not {"依申请公开", "政策解读", "培训", "队伍"} & words_  # subjects stay
    text = "我镇政府信息公开工作存在政策解读形式不够丰富的问题"
    assert "存在" in tokenize(text) and "存在" not in tokenize(text, drop_template=True)
    assert "政策解读" in ChineseTokenizer(drop_template=True)(text)
    assert pickle.loads(pickle.dumps(ChineseTokenizer(drop_template=True)))(text) == \
        tokenize(text, drop_template=True)


def test_learning_script_ranks_genre_words_first():
    import nlp
    from nlp.text.learn_template import candidates

    seeds = nlp.corpora.load("seeds")
    top = dict(candidates(seeds.reports, min_share=0.6))
    assert "存在" in top and "问题" in top and all(0.6 <= s <= 1 for s in top.values())
    assert list(top.values()) == sorted(top.values(), reverse=True)


def test_words_run_by_run_equal_jieba_on_the_whole_text():
    """``words`` segments each run between punctuation once and remembers it: on real reports
    (and on the shapes around runs: full-width digits, tabs, CRLF) it must give exactly what
    jieba gives on the whole text, the second time from the cache too."""
    from nlp.text.tokenize import _run_words, domain_tokenizer

    texts = [seed_path(f"{k:03d}").read_text(encoding="utf-8") for k in range(5)]
    texts += ["２０２４年，我镇\t\t加强政府信息公开。\r\n12.5%的申请 已办结", "", "  \u3000 "]
    _run_words.cache_clear()
    for _ in range(2):
        for text in texts:
            for piece in [text, *text.split("。")]:
                assert words(piece) == domain_tokenizer().lcut(piece, HMM=False)
    assert _run_words.cache_info().hits > _run_words.cache_info().misses
