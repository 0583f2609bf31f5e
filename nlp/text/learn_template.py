"""Learn the template's vocabulary: words most reports' section 五 use whatever they say.

``python -m nlp.text.learn_template [CORPUS_DIR ...] [--min-share 0.3]`` tokenises the
section-五 units of every report (genre stop list applied, template list not), counts in how
many reports each word occurs, and prints candidates with that share, highest first, as lines
for ``template_words.txt``. The printed list is a proposal: a reviewer keeps the genre's own
words (存在, 有待, 不够, 进一步 …) and strikes subject words that every office happens to have
(依申请公开, 政策解读 are what a topic is about, so they stay out of the list).
"""
from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from nlp.model import Report

#: Share of reports a word must appear in to be proposed; on the 20 real reports (2026-12) the
#: genre words sit above 0.3 (存在 0.85, 不够 0.6) and the first subject words just below.
MIN_SHARE = 0.3


def report_shares(reports: Sequence[Report], section: str = "problems") -> Counter:
    """Word → share of ``reports`` whose ``section`` units use it at least once."""
    from nlp.text.tokenize import tokenize
    from nlp.topics.model import unit_frame

    units = unit_frame(list(reports), section)
    seen: Counter = Counter()
    for _, texts in units.groupby("path")["text"]:
        seen.update({w for t in texts for w in tokenize(t)})
    n = max(units["path"].nunique(), 1)
    return Counter({w: c / n for w, c in seen.items()})


def candidates(reports: Sequence[Report], min_share: float = MIN_SHARE) -> list[tuple[str, float]]:
    """Words used by at least ``min_share`` of reports, most widespread first, ties by word."""
    shares = report_shares(reports)
    return sorted(((w, s) for w, s in shares.items() if s >= min_share), key=lambda x: (-x[1], x[0]))


def main(argv: Sequence[str] | None = None) -> None:
    import nlp

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", default=["/work/shared/seeds", "/work/shared/corpora/reports"])
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    args = ap.parse_args(argv)
    reports = [r for c in args.corpora for r in nlp.Corpus(c, progress=False)]
    for word, share in candidates(reports, args.min_share):
        print(f"{word}  # {share:.2f} of {len(reports)} reports")


if __name__ == "__main__":
    main()
