"""Topic models: fit time and NPMI coherence of NMF and LDA, and whether reruns are identical.

Corpora: the bundled seeds, and the seeds plus ../shared/corpora/reports when present (that
part is skipped otherwise). Documents: the statement units of section 五 (``problems``), and
every narrative unit (all sections). For NMF and LDA with k = 4 and 8 it times
``TopicModel.fit`` (tokenisation included; median of ``REPEATS`` runs after one warm-up),
records the mean, min and max per-topic NPMI of the top-10 words over the fitted units, and
checks that every rerun with the same seed gives the same top words. It also times the reuse
detection that ``drop_boilerplate=True`` runs, and prints the example topics of section 五.
"""
from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

import nlp
from nlp.model import Report
from nlp.topics import TopicModel, fit_topics, unit_frame

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("topics.md")
SHARED = ROOT.parent / "shared" / "corpora" / "reports"
REPEATS = 3
KS = (4, 8)
METHODS = ("nmf", "lda")
DOCUMENTS = {"problems": "problems", "all": None}


def corpora() -> dict[str, list[Report]]:
    """The seeds alone, and seeds + shared reports when the shared folder exists."""
    seeds = list(nlp.corpora.load("seeds"))
    out = {"seeds": seeds}
    if SHARED.is_dir():
        out["seeds + shared"] = seeds + list(nlp.Corpus(SHARED, progress=False))
    return out


def run_one(texts: list[str], method: str, k: int, names: tuple[str, ...]) -> dict:
    """Fit ``REPEATS`` times with seed 0: median seconds, coherence, identical top words?"""
    times, words = [], []
    for _ in range(REPEATS):
        model = TopicModel(method=method, n_topics=k, random_state=0, extra_stopwords=names)
        t0 = time.perf_counter()
        model.fit(texts)
        times.append(time.perf_counter() - t0)
        words.append(model.topic_words(10))
    npmi = model.coherence()
    return {"seconds": statistics.median(times), "npmi": float(npmi.mean()),
            "npmi_min": float(npmi.min()), "npmi_max": float(npmi.max()),
            "identical": all(w == words[0] for w in words), "vocabulary": len(model.vocabulary_)}


def main() -> Path:
    from nlp.topics.model import name_words

    rows, examples, reuse_times = [], None, {}
    sets = corpora()
    TopicModel(n_topics=2).fit(unit_frame(sets["seeds"], "problems")["text"])  # warm-up: jieba
    for cname, reports in sets.items():
        names = name_words(reports)
        for dname, section in DOCUMENTS.items():
            texts = unit_frame(reports, section)["text"].tolist()
            for method in METHODS:
                for k in KS:
                    r = run_one(texts, method, k, names)
                    rows.append({"corpus": cname, "reports": len(reports), "documents": dname,
                                 "units": len(texts), "method": method, "k": k, **r})
        t0 = time.perf_counter()
        result = fit_topics(reports, section="problems", drop_boilerplate=True, n_topics=8)
        reuse_times[cname] = (time.perf_counter() - t0, result.params["boilerplate_dropped"])
        examples = (cname, fit_topics(reports, section="problems", n_topics=8, seed=0))

    lines = ["# Topic model benchmark", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} "
             f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
             f"{os.getloadavg()[0]:.1f} when the run ended (other jobs share the machine, so "
             "times are indicative), one process. `TopicModel.fit` on statement units "
             "(items, else sentences; part headings left out), tokenised with the genre's "
             "`ChineseTokenizer` plus the corpus's office-name words as stop words. NMF: "
             "sublinear TF-IDF, NNDSVDa start, ≤400 iterations; LDA: counts, batch variational "
             "Bayes, 50 iterations. Seed 0, `min_df=2`, `max_df=0.95`. Time is the median of "
             f"{REPEATS} fits after a warm-up, tokenisation included. NPMI: mean over topics of "
             "the mean pairwise NPMI of each topic's top 10 words, counted by co-occurrence in "
             "the fitted units (range −1…1). *Same topics* says whether all runs with the same "
             "seed gave identical top words.", "",
             "| corpus | reports | documents | units | method | k | vocabulary | fit (s) | "
             "mean NPMI | min | max | same topics |", "|---" * 12 + "|"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['reports']} | {r['documents']} | {r['units']} | "
                     f"{r['method']} | {r['k']} | {r['vocabulary']} | {r['seconds']:.3f} | "
                     f"{r['npmi']:.3f} | {r['npmi_min']:.3f} | {r['npmi_max']:.3f} | "
                     f"{'yes' if r['identical'] else '**no**'} |")
    if not SHARED.is_dir():
        lines += ["", "`../shared/corpora/reports` was not present: the shared rows are missing."]
    lines += ["", "## drop_boilerplate", "",
              "`fit_topics(..., section=\"problems\", drop_boilerplate=True, n_topics=8)` end to "
              "end, including the reuse detection it runs (`nlp.reuse.detect.detect`) when no "
              "ReuseResult is passed:", ""]
    for cname, (secs, dropped) in reuse_times.items():
        lines.append(f"- {cname}: {secs:.2f} s, {dropped} section-五 units dropped as template or "
                     "cross-office text")
    if examples is not None:
        cname, result = examples
        lines += ["", f"## Example: section 五 of {cname}, NMF, k = 8, seed 0", "",
                  "| topic | top words | NPMI | units | share |", "|---|---|---|---|---|"]
        for t in result.topics.itertuples():
            lines.append(f"| {t.topic} | {t.words} | {t.coherence:.3f} | {t.documents} | "
                         f"{t.share:.3f} |")
        lines += ["", "The statement with the highest share of each topic:", ""]
        rep = result.representative(1)
        for r in rep.itertuples():
            text = "".join(r.text.split()).replace("|", "｜")
            lines.append(f"- topic {r.topic} ({r.office} {r.year}): {text[:80]}"
                         f"{'…' if len(text) > 80 else ''}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(f"wrote {main()}")
