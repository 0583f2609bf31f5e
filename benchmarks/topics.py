"""Topic models against the anchor (BERTopic) on the section-五 units of real and generated reports.

For each corpus (the 20 real reports: seeds + ../shared/corpora/reports; generated reports from
``nlp.reuse.synth``) it takes the section-五 statement units, masks the corpus's office names,
and fits k = 6 topics with NMF, LDA, our embedding model and BERTopic (when installed: the
shipped embedding model, a CountVectorizer on our tokenizer, ``nr_topics=k``; its UMAP is left
unseeded, as users run it). Measures: NPMI of each topic's top-10 words by co-occurrence in the
units (one tokenisation for all models), diversity (unique top-10 words / 10k), share of units
assigned (BERTopic leaves outliers), adjusted Rand index of the unit assignments between two
runs (run: same input order again; order: input shuffled, then mapped back), fit time (s),
and template words in the worst topic's top 10. Run: ``python -m benchmarks.topics [N_SYNTH]``.
"""
from __future__ import annotations

import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

import nlp
from nlp.text.tokenize import ChineseTokenizer, template_words
from nlp.topics import fit_topics, topic_npmi, unit_frame
from nlp.topics.model import TOPIC_STOPWORDS, corpus_names, mask_names, name_words

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("topics.md")
REAL = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "corpora" / "reports"]
K = 6
METHODS = ("nmf", "lda", "embedding", "bertopic")


def _ours(reports, method: str, order: list[int] | None, seed: int = 0):
    """Fit on ``reports`` (reordered by ``order``); labels come back in the original unit order."""
    rs = list(reports)
    t = time.perf_counter()
    res = fit_topics(rs, section="problems", method=method, n_topics=K, seed=seed)
    took = time.perf_counter() - t
    return res.documents["topic"].to_numpy(), res.model.topic_words(10), took, res


def _shuffled_reports(reports, seed: int):
    rs = list(reports)
    random.Random(seed).shuffle(rs)
    return rs


def _key(docs) -> list[tuple]:
    return list(zip(docs["path"], docs["start"]))


def _bertopic(texts: list[str], tokenizer: ChineseTokenizer):
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    from nlp.reuse.embeddings import load

    model = BERTopic(embedding_model=load(), nr_topics=K + 1,  # +1: the outlier topic -1
                     vectorizer_model=CountVectorizer(tokenizer=tokenizer, token_pattern=None,
                                                      lowercase=False))
    t = time.perf_counter()
    labels, _ = model.fit_transform(texts)
    took = time.perf_counter() - t
    words = [[w for w, _ in model.get_topic(k)][:10] for k in sorted(set(labels)) if k >= 0]
    return np.array(labels), words, took


def measure(name: str, reports) -> list[dict]:
    """One row per method on ``reports``' section 五."""
    units = unit_frame(reports, "problems")
    names = corpus_names(reports)
    tokenizer = ChineseTokenizer(extra_stopwords=TOPIC_STOPWORDS + name_words(reports),
                                 drop_template=True)
    tokens = [tokenizer(mask_names(t, names)) for t in units["text"]]
    template = template_words()
    rows = []
    for method in METHODS:
        if method == "bertopic":
            try:
                import bertopic  # noqa: F401
            except ImportError:
                rows.append({"corpus": name, "method": method, "note": "not installed"})
                continue
            texts = [mask_names(t, names) for t in units["text"]]
            a, words, took = _bertopic(texts, tokenizer)
            b, _, _ = _bertopic(texts, tokenizer)
            perm = list(range(len(texts)))
            random.Random(1).shuffle(perm)
            c_sh, _, _ = _bertopic([texts[i] for i in perm], tokenizer)
            c = np.empty_like(c_sh)
            c[perm] = c_sh
        else:
            a, words, took, res = _ours(reports, method, None)
            b, _, _, _ = _ours(reports, method, None)
            _, _, _, rs = _ours(_shuffled_reports(reports, 1), method, None)
            where = dict(zip(_key(rs.documents), rs.documents["topic"]))
            c = np.array([where[k] for k in _key(res.documents)])
        npmi = topic_npmi(words, tokens)
        flat = [w for t in words for w in t]
        rows.append({"corpus": name, "method": method, "units": len(units), "topics": len(words),
                     "npmi": float(np.nanmean(npmi)), "diversity": len(set(flat)) / max(len(flat), 1),
                     "assigned": float((a >= 0).mean()), "ari_run": adjusted_rand_score(a, b),
                     "ari_order": adjusted_rand_score(a, c), "time": took,
                     "template_max": max(sum(w in template for w in t) for t in words),
                     "words": [" ".join(t) for t in words]})
    return rows


#: The names a reader (the author, 2026-12-04) gave each topic of the real reports' section 五,
#: read from the top words below; tests/test_topics.py pins four of the subjects.
NAMES = {
    "nmf": ["政策解读形式单一", "依申请公开办理与答复质量", "宣传与公众参与", "人员培训与业务水平",
            "平台互动功能与更新", "队伍建设、制度与主动性"],
    "embedding": ["依申请公开与重点领域主动公开", "人员队伍与培训（含公文电子流转）",
                  "网站、政务新媒体与互动平台", "解读形式单一与数字化", "制度、督导与统筹管理",
                  "责任意识与主动性"],
}


def render(rows: list[dict], notes: list[str]) -> str:
    out = ["# Topic model benchmark: our models against BERTopic", "",
           f"Machine: {platform.machine()}, CPython {platform.python_version()}, "
           f"{os.cpu_count()} CPUs shared with other jobs (times indicative). "
           f"Section-五 units, k = {K}, seed 0. " + " ".join(notes), "",
           "| corpus | method | units | topics | NPMI | diversity | assigned | ARI run | ARI order "
           "| fit (s) | max template words in a top 10 |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "note" in r:
            out.append(f"| {r['corpus']} | {r['method']} | {r['note']} |||||||||")
            continue
        out.append(f"| {r['corpus']} | {r['method']} | {r['units']} | {r['topics']} | "
                   f"{r['npmi']:.3f} | {r['diversity']:.2f} | {r['assigned']:.2f} | "
                   f"{r['ari_run']:.3f} | {r['ari_order']:.3f} | {r['time']:.2f} | "
                   f"{r['template_max']} |")
    for r in rows:
        if "words" in r:
            out += ["", f"### {r['corpus']}, {r['method']}: top words", ""]
            names = NAMES.get(r["method"], []) if r["corpus"].startswith("real") else []
            out += [f"{k}. {w}" + (f" — **{names[k]}**" if k < len(names) else "")
                    for k, w in enumerate(r["words"])]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    n_synth = int(argv[0]) if argv else 0
    real = [r for d in REAL if d.is_dir() for r in nlp.Corpus(d, progress=False)]
    rows, notes = measure(f"real ({len(real)})", real), []
    if n_synth:
        from nlp.reuse.synth import synthesize

        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            synthesize(n_synth, tmp, seed=0)
            synth = list(nlp.Corpus(tmp, progress=False))
            notes.append(f"Generated: {n_synth} reports, written and read in "
                         f"{time.perf_counter() - t:.0f} s.")
            rows += measure(f"synth ({n_synth})", synth)
    text = render(rows, notes)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
