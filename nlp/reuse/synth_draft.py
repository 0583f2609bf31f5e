"""Synthetic reports, composed: offices of invented cities and their drafts on the national template.

The narrative recombines clauses of the five bundled seeds with a phrase grammar
(``data/phrases.txt``), so unrelated reports share only the national template. A draft keeps every
sentence as a template over the report's tokens, so ``synth_plant`` can copy, edit or disguise it
and ``synth`` can render it with exact offsets.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nlp.model import TABLE_SECTIONS

KINDS = ("verbatim", "edited", "names_swapped", "paraphrased")
KIND_WEIGHTS = (30, 25, 25, 20)
FIRST_YEAR, LAST_YEAR = 2019, 2024
#: What a writer swaps to disguise a copy (``paraphrased``). Background text draws both sides,
#: so a swapped-in word gives nothing away.
SYNONYMS = {"加强": "强化", "进一步": "持续", "不够": "不足", "工作人员": "工作者", "及时": "按时",
            "推进": "推动", "完善": "健全", "提高": "提升", "认真": "切实", "积极": "主动",
            "确保": "保证", "开展": "实施", "群众": "民众", "建立": "构建", "明显": "显著",
            "努力": "力争", "各项": "各类", "方便": "便利", "渠道": "途径", "形式": "方式",
            "意识": "观念", "重点": "关键"}
_SYN = re.compile("|".join(sorted(SYNONYMS, key=len, reverse=True)))
# background variants leave out the swaps that read badly outside a copy ("还不足强", "按时性")
_ANY_SYN = re.compile("|".join(sorted({*SYNONYMS, *SYNONYMS.values()} - {"不够", "不足", "及时", "按时"},
                                      key=len, reverse=True)))
_BACK = {v: k for k, v in SYNONYMS.items()}
#: 我X, 全X and the leadership of each level (departments by the last character of the name).
LEVEL_WORDS = {"镇": ("我镇", "全镇", "镇党委、政府"), "乡": ("我乡", "全乡", "乡党委、政府"),
               "街道": ("我街道", "全街道", "街道党工委、办事处"), "县": ("我县", "全县", "县委、县政府"),
               "区": ("我区", "全区", "区委、区政府"), "市": ("我市", "全市", "市委、市政府"),
               "局": ("我局", "全局", "局党组"), "会": ("我委", "全委", "委党组"), "室": ("我办", "全办", "办党组")}
_TOKEN = re.compile(r"\{(\w+)\}")
_VARIED = ("opener", "object", "purpose", "means", "result", "domain", "aspect")  # pools with variants


@dataclass(frozen=True)
class Office:
    name: str    # 石桥镇人民政府 / 丰河县财政局: what the title and the signature say
    short: str   # 石桥镇 (a department: its full name)
    level: str   # 镇 乡 街道 县 区 市 部门 (nlp.model.LEVELS), as nlp.ingest.metadata reads it
    region: str  # county of a town or county department; city of a county or city department
    county: str  # "" for a city department
    city: str
    words: str   # key into LEVEL_WORDS
    sup: str     # level character of its superior (县 区 市 省)


class _Sent:
    """A narrative sentence: a template over the report's tokens ({we}, {0} …) and its numbers."""

    __slots__ = ("tmpl", "nums", "start", "end", "src", "copy")

    def __init__(self, tmpl: str, nums: tuple[int, ...] = ()) -> None:
        self.tmpl, self.nums = tmpl, nums
        self.start = self.end = 0
        self.src = self.copy = -1  # id of the planted copy it is the source of / part of


@dataclass
class _Block:
    """A paragraph or an item's body: consecutive sentences with nothing between them."""

    item: bool
    sents: list[_Sent]


@dataclass
class _Draft:
    office: Office
    year: int
    ctx: dict[str, str]
    parts: list  # str | _Block, in text order
    blocks: dict[str, list[_Block]]


# -- data -------------------------------------------------------------------------------------------
def _sections(name: str) -> dict[str, list[str]]:
    """A data file's ``[pool]`` sections, one entry a line (``#`` lines are comments)."""
    out: dict[str, list[str]] = defaultdict(list)
    key = ""
    for line in resources.files("nlp.reuse").joinpath(f"data/{name}").read_text("utf-8").splitlines():
        if line.startswith("["):
            key = line.strip("[] ")
        elif line.strip() and not line.startswith("#"):
            out[key].append(line.strip())
    return out


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    """Phrase pools (each phrase also with its synonyms swapped), objects as domain × aspect,
    and the seed clauses."""
    pools = _sections("phrases.txt")
    swap = lambda m: SYNONYMS.get(m[0]) or _BACK[m[0]]  # noqa: E731
    for key, phrases in pools.items():
        if key in _VARIED:
            phrases += [v for p in list(phrases) if (v := _ANY_SYN.sub(swap, p)) != p]
    domains, aspects = pools.pop("domain"), pools.pop("aspect")
    pools["object"] += [d + a for d in domains for a in aspects]
    return {**pools, **_seed_clauses()}


_SEED_FIXES = (("我镇党委、政府", "{lead}"), ("镇党委、政府", "{lead}"), ("县委、县政府", "{sup}委、{sup}政府"),
               ("我镇", "{we}"), ("全镇", "{all}"), ("县人民政府", "{sup}人民政府"), ("县政府", "{sup}政府"))
_ISSUE = re.compile("不够|不足|欠|不及时|不高|不强|较少|有限|缺乏|不透彻|不健全|单一|偏低|紧缺|脱节|延误")
_UNIT_MARK = re.compile(r"^(?:[一二三四五六七八九十]是|\d、|[（(][一二三四五六七八九十][）)]|\*+)+")


@lru_cache(maxsize=1)
def _seed_clauses() -> dict[str, list[str]]:
    """Clauses of the seeds' sections 一 and 五 as templates: names, 我镇, years, numbers → tokens.

    A clause that still names a place or level afterwards would break the office's consistency,
    so it is left out, as are contact details and clauses cut inside quotes or brackets.
    """
    from nlp.classify.units import statement_units
    from nlp.corpora import path as corpus_path
    from nlp.load import load_report

    pools: dict[str, list[str]] = {"seed_overview": [], "seed_issue": [], "seed_improve": []}
    for file in sorted(corpus_path("seeds").glob("*.txt")):
        r = load_report(file)
        m = r.meta  # 永正镇's title gives no 人民政府: its office is its short name
        fixes = [(m.office if m.office != m.office_short else None, "{name}"), (m.office_short, "{short}"),
                 (m.region, "{region}"), *_SEED_FIXES]
        years = {m.year: "{year}", (m.year or 0) + 1: "{next}"}
        for u in statement_units(r, ("overview", "problems")):
            if u.kind == "heading" or u.text.rstrip().endswith(("：", ":")) or re.search(
                    r"电话|邮编|地址|@|www|http|本报告|收到", u.text):  # lead-ins, contacts, counts
                continue
            pool = "seed_overview" if u.section == "overview" else (
                "seed_issue" if _ISSUE.search(u.text) else "seed_improve")
            for clause in re.split("[，；：。]", _UNIT_MARK.sub("", "".join(u.text.split()))):
                for old, new in fixes:
                    clause = clause.replace(old, new) if old else clause
                clause = re.sub(r"20\d\d", lambda m: years.get(int(m[0]), "{bad}"), clause)
                clause = re.sub(r"\d+", lambda m: "{n%d}" % min(len(m[0]), 3), clause)
                bare = _TOKEN.sub("", clause)
                if (8 <= len(clause) <= 30 and "{bad}" not in clause and not re.search("[镇乡县区市街*]", bare)
                        and all(bare.count(a) == bare.count(b) for a, b in ("“”", "《》", "（）"))):
                    pools[pool].append(clause)
    return {k: list(dict.fromkeys(v)) for k, v in pools.items()}


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Tables 二 三 四 as laid out in seeds 000 (a cell a line) and 003 (tab-separated rows), each
    as the literal pieces around its number cells (10, 175 and 15 of them)."""
    from nlp.corpora import path as corpus_path
    from nlp.load import load_report

    out = []
    for prefix in ("000", "003"):
        r = load_report(next(corpus_path("seeds").glob(f"{prefix}_*.txt")))
        tables = []
        for s in (s for s in r.sections if s.id in TABLE_SECTIONS):
            text = r.text[s.heading_end:s.end].strip("\n") + "\n"
            # seed 000's own slips: (六) lists 行政许可 for 行政处罚, (五) says 不予公开 for 不予处理
            text = text.replace("行政许可\n\t0\n\n\t行政强制", "行政处罚\n\t0\n\n\t行政强制")
            text = text.replace("(五)不予公开", "(五)不予处理")
            tables.append(tuple(re.split(r"(?<=[\t\n])\d+(?=[ \t]*(?:\n|$)|\t)", text)))
        assert [len(p) - 1 for p in tables] == [10, 175, 15], prefix
        out.append(tuple(tables))
    return tuple(out)


# -- offices and years ------------------------------------------------------------------------------
def _offices(rng: random.Random, one_county: bool = False):
    """An endless stream of distinct offices: mostly 镇/乡/街道, some counties and departments
    (``one_county``: all of the first city's first county, whose government comes first)."""
    data = _sections("places.txt")
    cities = [(w[0], w[1:]) for w in map(str.split, data["cities"])]
    if one_county:
        cities = [(cities[0][0], cities[0][1][2:3])]  # 临江市 丰河县: a county, not a district
    heads, tails, depts = ([c for line in data[k] for c in line.split()]
                           for k in ("heads", "tails", "departments"))
    names = [h + t for h in heads for t in tails]
    rng.shuffle(names)
    used: set[str] = set()
    if one_county:
        city, county = cities[0][0], cities[0][1][0]
        used.add(county + "人民政府")
        yield Office(county + "人民政府", county, "县", city, county, city, "县", "市")
    while True:
        city, counties = rng.choice(cities)
        county = rng.choice(counties)
        sup, r = county[-1], rng.random()
        if r < 0.76:
            base = names.pop() if names else rng.choice(heads) + rng.choice(tails) + rng.choice(tails)
            level = rng.choices(("镇", "乡", "街道"), (55, 18, 27 if sup != "县" else 8))[0]
            name = base + level + ("办事处" if level == "街道" else "人民政府")
            office = Office(name, base + level, level, county, county, city, level, sup)
        elif r < 0.82:
            office = Office(county + "人民政府", county, sup, city, county, city, sup, "市")
        else:
            at_city = r > 0.95 and not one_county
            name = (city if at_city else county) + rng.choice(depts)
            office = Office(name, name, "部门", city if at_city else county, "" if at_city else county,
                            city, name[-1] if name[-1] in "会室" else "局", "省" if at_city else sup)
        if office.name not in used:
            used.add(office.name)
            yield office


def _slots(rng: random.Random, n: int, one_county: bool = False) -> list[tuple[Office, int]]:
    """``n`` (office, year) pairs in random order; an office reports for consecutive years
    (``one_county``: the county government first, every year from ``FIRST_YEAR``)."""
    slots: list[tuple[Office, int]] = []
    offices = _offices(rng, one_county)
    while len(slots) < n:
        office, run = next(offices), rng.choices((1, 2, 3, 4, 5), (25, 30, 22, 15, 8))[0]
        if not slots and one_county:
            run = min(n, LAST_YEAR - FIRST_YEAR + 1, 3)
        start = rng.randint(FIRST_YEAR, LAST_YEAR - run + 1) if slots or not one_county else FIRST_YEAR
        slots.extend((office, y) for y in range(start, start + run))
    slots = slots[:n]
    rng.shuffle(slots)
    return slots


# -- narrative ------------------------------------------------------------------------------------
def _num(rng: random.Random, digits: int) -> int:
    return rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10 ** digits - 1)


def _finish(rng: random.Random, clauses: list[str]) -> _Sent:
    """Join clauses into a sentence; the seeds' {n1}/{n2}/{n3} become numbers of so many digits."""
    tmpl, nums = "，".join(clauses) + "。", []
    if "{n" in tmpl:
        def number(m: re.Match) -> str:
            nums.append(_num(rng, int(m[1])))
            return "{%d}" % (len(nums) - 1)
        tmpl = re.sub(r"\{n(\d)\}", number, tmpl)
    return _Sent(tmpl, tuple(nums))


def _act(rng: random.Random, P: dict[str, list[str]], subject: bool = False) -> str:
    """(主语)+状语+动词+宾语 over ~1600 objects: the grammar's main source of variety. Sentences
    carry two or three, so that two unrelated reports almost never share a sentence."""
    r = rng.random
    pick = lambda k: P[k][int(r() * len(P[k]))]  # noqa: E731 (rng.choice is the hot spot at 16k)
    obj = pick("object") + ("和" + pick("object") if r() < 0.2 else "")
    return (pick("subject") if subject else "") + pick("adverb") + pick("verb") + obj


def _sentence(rng: random.Random, P: dict[str, list[str]], kind: str, lead: str | None = None) -> _Sent:
    """A sentence of section 一 (``overview``) or 五 (``issue``, ``improve``)."""
    c, r = rng.choice, rng.random
    if kind == "issue":
        clauses = [c(P["object"]) + "方面", c(P["issue_subject"]) + c(P["issue_predicate"]),
                   _act(rng, P) + "的措施还不够有力"] + ([c(P["issue_cause"] + P["seed_issue"])] if r() < 0.6 else [])
        return _finish(rng, clauses + [_act(rng, P) + c(("的力度还不够", "的成效还不明显", "还有欠缺"))])
    first = [lead] if lead else ([c(P["opener"])] if kind == "overview" and r() < 0.3 else [])
    clauses = first + [_act(rng, P, subject=not first and r() < 0.5), _act(rng, P)]
    clauses += ([c(P["seed_" + kind])] if r() < 0.6 else []) + [_act(rng, P)]
    return _finish(rng, clauses + ([c(P[c(("purpose", "result", "means"))])] if r() < 0.25 else []))


def _table_numbers(rng: random.Random) -> tuple[list[int], int]:
    """The 200 numbers of tables 二 三 四 in template order, adding up as the template says
    (row and column sums, 新收 + 结转 = 总计 + 结转下年), and the count of new requests."""
    r = rng.random
    issued = rng.choice((0, 0, 0, 1, 2, 3))
    proactive = [0, 0, 0, issued, int(r() < 0.2), issued + rng.randint(0, 9), rng.choice((0, 0, 3, 12)),
                 rng.choice((0, 0, 1, 5)), 0, 0]
    rows = [[0] * 6 for _ in range(25)]  # 新收, 上年结转, 21 results, 总计, 结转下年度 by applicant
    for col, p in enumerate((0.45, 0.08, 0.01, 0.01, 0.02, 0.03)):
        if r() < p:
            rows[0][col], rows[1][col] = rng.randint(1, 12 if col == 0 else 2), int(r() < 0.15)
            total = rows[0][col] + rows[1][col]
            rows[24][col] = int(total > 1 and r() < 0.2)
            for _ in range(total - rows[24][col]):  # mostly 予以公开, then 不掌握, 部分公开 …
                rows[rng.choices((2, 3, 5, 12, 15, 17), (60, 10, 4, 16, 6, 4))[0]][col] += 1
            rows[23][col] = total - rows[24][col]
    review = [0] * 15
    if r() < 0.08:
        review[rng.choice((0, 1, 3))] = review[4] = 1
    return proactive + [v for row in rows for v in (*row, sum(row))] + review, sum(rows[0])


def _draft(rng: random.Random, office: Office, year: int) -> _Draft:
    """One report: fixed text as strings, the narrative of 一 and 五 as blocks of sentences."""
    P, c, r = _pools(), rng.choice, rng.random
    we, all_, lead = LEVEL_WORDS[office.words]
    ctx = {"short": office.short, "name": office.name, "region": office.region, "we": we, "all": all_,
           "lead": lead, "sup": office.sup, "year": str(year), "next": str(year + 1)}
    numbers, requests = _table_numbers(rng)
    ctx["req"] = str(requests)  # a token: a names_swapped copy quotes B's own table
    parts: list = []
    blocks: dict[str, list[_Block]] = {"overview": [], "problems": []}

    def block(section: str, sents: list[_Sent], item: bool = False) -> None:
        blocks[section].append(_Block(item, sents))
        parts.append(blocks[section][-1])

    county = office.level in ("县", "区", "市")
    area = 700 + sum(map(ord, office.city)) % 299
    preamble = c(P["preamble"]).format(
        **ctx, odept="办公室" if county or office.level == "部门" else "党政办公室",
        site=(office.name if county else office.region + "人民政府") + "门户网站",
        addr=(office.city if county else office.region if office.level != "部门" else "") + office.name,
        url=f"http://www.gov{area}.cn/xxgk/{rng.randint(10000, 99999)}.html",
        post=str(area * 1000 + rng.randint(0, 999)), phone=f"0{area}-{rng.randint(2000000, 8999999)}")
    parts.append(f"{office.name}{year}年政府信息公开工作年度报告\n{preamble}\n一、总体情况\n")
    block("overview", [_sentence(rng, P, "overview") for _ in range(rng.randint(1, 2))])
    for k, titles in enumerate(P["parts"]):
        parts.append(f"\n（{'一二三四五'[k]}）{c(titles.split('|'))}\n")
        sents = [_sentence(rng, P, "overview") for _ in range(rng.randint(2, 3))]
        if k == 0:  # the counts: a channel, the total and three categories
            cats = rng.sample(P["category"], 3)
            sents.insert(0, _Sent(
                f"{c(P['opener'])}，{{we}}{_act(rng, P)}，{_act(rng, P)}，通过{c(P['channel'])}主动公开政府信息{{0}}条，"
                f"其中{cats[0]}{{1}}条、{cats[1]}{{2}}条、{cats[2]}{{3}}条。",
                (rng.randint(80, 900), rng.randint(20, 79), rng.randint(5, 19), rng.randint(1, 4))))
        elif k == 1:  # the count of table 三
            sents.insert(0, _sentence(rng, P, "overview", lead="{year}年，{we}收到政府信息公开申请{req}件"
                                      + (f"，{c(P['request_done'])}" if requests else "")))
        block("overview", sents)
        if r() < 0.3:
            parts.append("\n")
            block("overview", [_sentence(rng, P, "overview") for _ in range(2)])
    heads = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
    at = 0
    for head, pieces in zip(heads, _tables()[r() < 0.5]):
        cells = [str(v) for v in numbers[at:at + len(pieces) - 1]] + [""]
        at += len(pieces) - 1
        parts.append(f"\n{head}\n" + "".join(p + v for p, v in zip(pieces, cells)))
    parts.append("\n五、存在的主要问题及改进情况\n")
    inline, titled = r() < 0.5, r() < 0.6  # items run on in one paragraph, or a line each
    item_heads = rng.sample(P["item_head"], 4)
    for k, kind in enumerate(("issue", "improve")):
        parts.append(("（一）存在的主要问题\n", "（二）改进情况\n")[k] if titled else "")
        acts = "，".join(_act(rng, P) for _ in range(3))
        parts.append(f"{('{year}', '{next}')[k]}年，{{we}}{acts}，{c(P['lead_' + kind])}".format(**ctx)
                     + ("" if inline else "\n"))
        for i in range(rng.randint(2, 4)):
            parts.append("一二三四"[i] + "是")
            if kind == "issue":
                block("problems", [_sentence(rng, P, kind) for _ in range(c((1, 2, 2)))], item=True)
            else:
                block("problems", [_Sent(item_heads[i] + "。")]
                      + [_sentence(rng, P, kind) for _ in range(rng.randint(1, 2))], item=True)
            parts.append("" if inline else "\n")
        parts.append("\n" if inline else "")
    parts.append("六、其他需要报告的事项\n" + c(P["other"]).format(**ctx)
                 + f"\n\n{office.name}\n{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日\n")
    return _Draft(office, year, ctx, parts, blocks)
