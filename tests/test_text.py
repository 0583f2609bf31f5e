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
