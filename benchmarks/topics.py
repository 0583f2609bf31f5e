"""Topic models against the anchor (BERTopic) on the section-五 units of real and generated reports.

For each corpus (the 20 real reports: seeds + ../shared/corpora/reports; generated reports from
``nlp.reuse.synth``) it takes the section-五 statement units, masks the corpus's office names,
and fits k = 6 topics with NMF, LDA, our embedding model and BERTopic (when installed: the
shipped embedding model, a CountVectorizer on our tokenizer, ``nr_topics=k``; its UMAP is left
unseeded, as users run it). Measures: NPMI of each topic's top-10 words by co-occurrence in the
units (one tokenisation for all models), diversity (unique top-10 words / 10k), share of units
assigned (BERTopic leaves outliers), adjusted Rand index of the unit assignments between two
runs (run: same input order again; order: input shuffled, then mapped back), fit time (s),
and template words in the worst topic's top 10.

Run: ``python -m benchmarks.topics [--no-real] [SYNTH_DIR_OR_N [SAMPLE [SKIP]]]``: a folder of
generated reports (``govnlp synth 10000 --seed 0``; its ``reports/*.txt``) of which the first
SAMPLE files by name are measured (0: all), or a number of reports to synthesize; SKIP names
methods left out (``lda``: 110 s a fit on 2,000 reports' units). The 2026-12-04 table came from
``/tmp/scale/synth10000 2000`` and then ``--no-real /tmp/scale/synth10000 0 lda``: each run's rows
go into ``topics.json`` and replace only those of the corpora it measured, and the hand-written
``## Notes`` of ``topics.md`` are kept, so ``--no-real`` alone re-renders the file.
"""
from __future__ import annotations

import json
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
from nlp.topics.model import TOPIC_STOPWORDS
from nlp.topics.names import corpus_names, name_masker, name_words

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("topics.md")
ROWS = Path(__file__).with_name("topics.json")  # the measured rows, merged across runs
#: Why a method was left out on a corpus (the third argument names them).
SKIPPED = {"lda": "not run: 110 s a fit on 16,018 units (2,000 reports), so ~10 min × 3 fits here",
           "bertopic": "not run (see the sample above)"}
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


def measure(name: str, reports, skip: dict[str, str] | None = None) -> list[dict]:
    """One row per method on ``reports``' section 五; ``skip``: method → why it was not run."""
    units = unit_frame(reports, "problems")
    mask = name_masker(corpus_names(reports))
    tokenizer = ChineseTokenizer(extra_stopwords=TOPIC_STOPWORDS + name_words(reports),
                                 drop_template=True)
    tokens = [tokenizer(mask(t)) for t in units["text"]]
    template = template_words()
    rows = []
    for method in METHODS:
        if skip and method in skip:
            rows.append({"corpus": name, "method": method, "note": skip[method]})
            continue
        print(f"{name}: {method} on {len(units)} units", file=sys.stderr, flush=True)
        if method == "bertopic":
            try:
                import bertopic  # noqa: F401
            except ImportError:
                rows.append({"corpus": name, "method": method, "note": "not installed"})
                continue
            texts = [mask(t) for t in units["text"]]
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
#: read from the top words below; "（混合）" marks a topic that joins two subjects, "（模板句）"
#: one made of the section's formula. tests/test_topics.py pins four of the subjects.
NAMES = {
    "nmf": ["政策解读形式单一", "依申请公开办理与答复质量", "宣传与公众参与", "人员培训与业务水平",
            "平台互动功能与更新", "队伍建设、制度与主动性"],
    "embedding": ["依申请公开与重点领域主动公开", "人员队伍与培训（含公文电子流转）",
                  "网站、政务新媒体与互动平台", "解读形式单一与数字化", "制度、督导与统筹管理",
                  "责任意识与主动性"],
    "lda": ["政策解读形式与平台发布", "队伍建设与业务培训", "（混合）决策公开、依申请办理与服务",
            "（混合）重点领域、群众关切与宣传", "制度、督导与主动性", "答复规范性与整改"],
    # BERTopic is unseeded: these names are for the run stored in topics.json (2026-12-04)
    "bertopic": ["（模板句）问题表现与整改措施如下", "重点领域主动公开与社会服务",
                 "（混合）依申请答复、解读形式与队伍"],
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


def _synth(source: str, sample: int | None) -> tuple[str, list, str]:
    """The generated reports: the first ``sample`` files by name of a folder, or new ones."""
    if source.isdigit():
        from nlp.reuse.synth import synthesize

        tmp = tempfile.mkdtemp()
        synthesize(int(source), tmp, seed=0)
        source = tmp
    files = sorted(Path(source).rglob("*.txt"))
    chosen = files[:sample] if sample else files
    t = time.perf_counter()
    reports = list(nlp.Corpus(chosen, progress=False))
    what = f"the first {len(chosen)} of {len(files)}" if len(chosen) < len(files) else f"all {len(files)}"
    note = (f"Generated ({what}): reports by file name of `{source}` (`govnlp synth "
            f"{len(files)} --seed 0`), read in {time.perf_counter() - t:.0f} s.")
    return f"synth ({len(chosen)} of {len(files)})", reports, note


def _keep_notes(text: str) -> str:
    """``text`` followed by the hand-written notes of the current ``topics.md``, if any."""
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    cut = old.find("\n## Notes")
    return text + old[cut:] if cut >= 0 else text


def _merge(rows: list[dict], notes: dict[str, str]) -> tuple[list[dict], dict[str, str]]:
    """This run's rows and notes (by corpus), after those of corpora it did not measure."""
    if not ROWS.exists():
        return rows, notes
    old = json.loads(ROWS.read_text(encoding="utf-8"))
    done = {r["corpus"] for r in rows}
    kept = [r for r in old["rows"] if r["corpus"] not in done]
    return kept + rows, {**{c: n for c, n in old["notes"].items() if c not in done}, **notes}


def main(argv: list[str]) -> None:
    """``[--no-real] [SYNTH_DIR_OR_N [SAMPLE [SKIP,METHODS]]]``; rows of corpora not measured
    now are kept from ``topics.json``, so the slow corpora can be measured in separate runs."""
    rows, notes = [], {}
    if "--no-real" in argv:
        argv = [a for a in argv if a != "--no-real"]
    else:
        real = [r for d in REAL if d.is_dir() for r in nlp.Corpus(d, progress=False)]
        rows += measure(f"real ({len(real)})", real)
    if argv:
        sample = int(argv[1]) if len(argv) > 1 and argv[1] != "0" else None
        skip = {m: SKIPPED.get(m, "not run") for m in argv[2].split(",")} if len(argv) > 2 else None
        name, synth, note = _synth(argv[0], sample)
        notes[name] = note
        rows += measure(name, synth, skip)
    rows, notes = _merge(rows, notes)
    ROWS.write_text(json.dumps({"rows": rows, "notes": notes}, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    text = _keep_notes(render(rows, list(notes.values())))
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
