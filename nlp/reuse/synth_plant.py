"""Copies planted into synthetic drafts: the ground truth of ``synth``'s corpora.

``_plant`` copies 1-4 consecutive sentences of a draft A into a draft B of the same or a later
year (verbatim, edited, names swapped or paraphrased; some leaking A's name or level word);
``_plant_model`` writes a county's model paragraph into its offices' section 五.
"""
from __future__ import annotations

import random
from collections import defaultdict

from rapidfuzz import fuzz

from nlp.reuse.synth_draft import (_SYN, _TOKEN, KIND_WEIGHTS, KINDS, SYNONYMS, _Draft, _num,
                                   _pools, _Sent, _sentence)


def _edit(rng: random.Random, text: str) -> str:
    """One small edit of a literal: substitute, delete or insert a character or a short word."""
    i, op = rng.choice([i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"] or [0]), rng.random()
    if op < 0.4:
        return text[:i] + rng.choice("的地和与及等各项好新全".replace(text[i], "")) + text[i + 1:]
    if op < 0.7:
        return text[:i] + text[i + 1:]
    return text[:i] + rng.choice(("进一步", "切实", "全面", "有效", "的", "等")) + text[i:]


def _copy_text(rng: random.Random, kind: str, leak: bool, sents: list[_Sent], A: _Draft, B: _Draft):
    """B's version of A's sentences and its leak (sentence, start, end, text, type), or None when
    these sentences cannot make this kind of copy. Only literals are edited or paraphrased."""
    rows, diff = [], []  # per sentence its pieces, [text, is_literal]; tokens that differ
    for s in sents:
        row = []
        for k, piece in enumerate(_TOKEN.split(s.tmpl)):  # literal, token, literal, …
            if k % 2 == 0:
                row.append([piece, True])
            elif piece.isdigit():
                v = s.nums[int(piece)]
                row.append([str(_num(rng, len(str(v))) if kind == "names_swapped" else v), False])
            else:
                if A.ctx[piece] != B.ctx[piece]:
                    diff.append((piece, len(rows), len(row)))
                row.append([(B if kind == "names_swapped" else A).ctx[piece], False])
        rows.append(row)
    leaky = [d for d in diff if d[0] in ("short", "name", "we", "all", "lead")]
    if leak:  # exactly one leaked token, the first; a names_swapped copy swaps the others
        if not leaky or (kind != "names_swapped" and len(diff) != 1):
            return None
        tok, si, k = leaky[0]
        rows[si][k][0] = A.ctx[tok]
    elif diff if kind != "names_swapped" else not (diff or any(s.nums for s in sents)):
        return None
    a_text = "".join(s.tmpl.format(*s.nums, **A.ctx) for s in sents)
    lits = [p for row in rows for p in row if p[1]]
    if kind == "paraphrased":
        hits = 0
        for p in lits:
            p[0], n = _SYN.subn(lambda m: SYNONYMS[m[0]], p[0])
            hits += n
        if hits < 2:
            return None
    elif kind == "edited":
        lits = [p for p in lits if len(p[0]) >= 4]
        if not lits or len(a_text) < 24:
            return None
        for p in rng.sample(lits * 3, rng.randint(1, 3)):
            p[0] = _edit(rng, p[0])
    texts = ["".join(p[0] for p in row) for row in rows]
    b_text = "".join(texts)
    if (b_text == a_text) != (kind == "verbatim") or kind == "edited" and fuzz.ratio(a_text, b_text) < 85:
        return None
    if not leak:
        return texts, None
    start = sum(len(p[0]) for p in rows[si][:k])
    return texts, (si, start, start + len(rows[si][k][0]), rows[si][k][0],
                   "other_office" if tok in ("short", "name") else "wrong_level")


def _window(rng: random.Random, A: _Draft, section: str) -> list[_Sent] | None:
    """1-4 consecutive unused original sentences of one of A's blocks (never an item's first
    sentence: its span would start after 一是, where a sentence splitter's does not)."""
    block = rng.choice(A.blocks[section])
    i = rng.randrange(int(block.item), len(block.sents)) if len(block.sents) > block.item else None
    out: list[_Sent] = []
    for s in block.sents[i:i + rng.randint(1, 4)] if i is not None else ():
        if s.src != -1 or s.copy != -1:
            break
        out.append(s)
    return out or None


def _insert(rng: random.Random, B: _Draft, section: str, new: list[_Sent]) -> bool:
    """Put copied sentences into one of B's blocks, never inside another planted passage."""
    for _ in range(6):
        block = rng.choice(B.blocks[section])
        p = rng.randint(int(block.item), len(block.sents))
        if 0 < p < len(block.sents):
            left, right = block.sents[p - 1], block.sents[p]
            if left.src != -1 and left.src == right.src or left.copy != -1 and left.copy == right.copy:
                continue
        block.sents[p:p] = new
        return True
    return False


def _plant(rng: random.Random, drafts: list[_Draft], n_copies: int, leak_rate: float,
           self_rate: float, county_rate: float) -> list[tuple]:
    """Plant up to ``n_copies`` copies. A source sentence is copied once and a copy is never a
    source, so the truth holds every related pair (no copy of a copy, no siblings)."""
    by_slot = {(d.office, d.year): i for i, d in enumerate(drafts)}
    home = [d.office.county or d.office.city for d in drafts]
    by_home: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(home):
        by_home[h].append(i)
    planted: list[tuple] = []
    for _ in range(n_copies):
        kind, leak, rel = rng.choices(KINDS, KIND_WEIGHTS)[0], rng.random() < leak_rate, rng.random()
        relation = ("self" if rel < self_rate and not leak else
                    "near" if rel < self_rate + county_rate else "far")
        for _ in range(100):  # pairs until one of them can make this kind of copy
            b = rng.randrange(len(drafts))
            B = drafts[b]
            if relation == "self":
                a = by_slot.get((B.office, B.year - 1))
            else:
                a = rng.choice(by_home[home[b]]) if relation == "near" else rng.randrange(len(drafts))
                if drafts[a].office == B.office or (relation == "near") != (home[a] == home[b]):
                    continue
            if a is None or drafts[a].year > B.year:
                continue
            A, section = drafts[a], "overview" if rng.random() < 0.65 else "problems"
            src = _window(rng, A, section)
            made = src and _copy_text(rng, kind, leak, src, A, B)
            if not made:
                continue
            new = [_Sent(t.replace("{", "{{").replace("}", "}}")) for t in made[0]]
            for s in new:
                s.copy = len(planted)
            if _insert(rng, B, section, new):
                for s in src:
                    s.src = len(planted)
                leak_at = made[1] and (new[made[1][0]], *made[1][1:])
                planted.append((kind, a, src, b, new, A.office == B.office, leak_at))
                break
    return planted


#: Sentences of a county's model text (a paragraph of 改进情况 the county hands to its towns).
MODEL_SENTENCES = 3


def _plant_model(rng: random.Random, drafts: list[_Draft], share: float) -> list[tuple[int, list[_Sent]]]:
    """Write a county model paragraph into every report of the county government and into a
    share ``share`` of the other offices' reports (each office copies it in all its years or in
    none): (draft, its model sentences). Model sentences are never a planted copy's source."""
    P = _pools()
    model = [_sentence(rng, P, "improve") for _ in range(MODEL_SENTENCES)]
    county = next((d.office for d in drafts if d.office.level == "县" and d.office.county == d.office.short), None)
    takers = {o for o in sorted({d.office.name for d in drafts}) if rng.random() < share}
    out = []
    for k, d in enumerate(drafts):
        if d.office == county or d.office.name in takers:
            sents = [_Sent(m.tmpl, m.nums) for m in model]
            for x in sents:
                x.copy = -2  # not an original sentence: _window skips it
            d.blocks["problems"][-1].sents.extend(sents)
            out.append((k, sents))
    return out
