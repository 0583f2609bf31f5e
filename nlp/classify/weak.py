"""Weak labels for statement units, read off the structure of section 五, plus cue features.

No hand labels exist at scale, but the template does most of the labelling: units under a
(一)存在的主要问题 part are problems, units under (二)改进措施 / 下一步 are improvements, and
section 一's achievements and figures are neither. Where section 五 has no parts, its lead-in
sentences ("存在…问题：", "将采取以下措施加以改进：") switch between the two. Headings, lead-ins and
generic admissions ("仍存在一些不足") carry no label. Cue phrases (有待, 不够 / 将, 进一步) are
exposed as *features* for the models (``cue_features``), not used as the final answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.classify.units import Unit, statement_units
from nlp.model import Report

LABELS: tuple[str, ...] = ("problem", "improvement")
TOPICS: tuple[str, ...] = ("staffing", "training", "timeliness", "content", "platform",
                           "interpretation", "awareness", "institutions", "publicity")

#: Keyword seeds of the topic head: the issue's lists, narrowed the way tests/data/LABELLING.md
#: applies them (解读内容 is interpretation not content, 公开形式/载体 is platform, 宣传解读 is not
#: publicity, staffing needs the staff or team named).
TOPIC_SEEDS: dict[str, str] = {
    "staffing": r"队伍|编制|兼职|专职|借调|流动性|人员(?:配备|紧缺|不足|变动|力量|管理)|人手|力量|专业|"
                r"专人|信息员|联络员|(?:人员|队伍)\S{0,6}(?:能力|水平|素质)",
    "training": r"培训|学习|业务指导|跟班",
    "timeliness": r"不及时|及时更新|更新不|更新滞后|滞后|时效|延误|及时性|超期|未更新",
    "content": r"(?<!解读)内容|范围|深度|广度|全面|重点领域|公开事项|公开目录|预公开|种类|实质",
    "platform": r"网站|平台|专栏|栏目|新媒体|微信|微博|APP|客户端|载体|数字化|智能化|信息化|"
                r"(?<!解读)(?<!征集)形式",
    "interpretation": r"解读|回应(?:社会)?关切|互动|意见征集|征求.{0,4}意见|在线咨询|民意|听证|留言",
    "awareness": r"意识|认识|主动性|自觉性|重视|理念|思想观念",
    "institutions": r"(?<!学习)制度|(?<!传帮带”)机制|流程|考核|督查|巡查|审查|体系",
    "publicity": r"(?<!政策)宣传(?!解读)|知晓|传播|利用率|氛围",
}
_TOPIC_RE = {k: re.compile(v) for k, v in TOPIC_SEEDS.items()}

PROBLEM_CUES: tuple[str, ...] = (
    "有待", "不够", "不足", "欠缺", "薄弱", "不及时", "单一", "缺乏", "缺少", "不强", "不高",
    "仍需", "尚需", "还需", "待提高", "待提升", "不透彻", "不健全", "不完善", "较少", "偏低",
    "不便", "不畅", "差距", "滞后", "不到位", "不均衡", "不突出", "无法满足", "不准确",
    "参差不齐", "不充分", "短板", "问题", "欠")
IMPROVEMENT_CUES: tuple[str, ...] = (
    "将", "进一步", "加强", "持续", "继续", "不断", "强化", "提升", "完善", "推进", "优化",
    "加大", "下一步", "下步", "着力", "确保", "健全", "丰富", "深化", "提高", "探索", "建立",
    "措施", "改进", "整改")

_NUM = "一二三四五六七八九十"
_PAGE = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]|\x0c")
_SPACE = re.compile(r"\s+")
_ENUM = re.compile(rf"^\s*(?:[{_NUM}]+是|[（(][{_NUM}\d]+[)）]|[{_NUM}\d]+[、.．])")
#: A leading part heading, e.g. "（一）存在的主要问题：" or "2、改进情况。".
_HEAD = re.compile(
    rf"^[（(]?[{_NUM}\d]{{1,2}}[)）、.．]\s*(?:\d{{4}}\s*年(?:度)?)?(?:工作中)?"
    r"(?:存在问题的改进情况|存在的?主要问题|存在的?问题|主要问题|改进情况|改进措施|改进计划|"
    r"具体的解决办法和改进措施|下步改进方向|下一步工作(?:计划|打算)?|整改措施)[。.：:]?")
_PART_IMPROVE = re.compile(r"改进|措施|计划|方向|办法|下一步|下步|打算|整改")
_PART_PROBLEM = re.compile(r"问题|不足")
#: A switch to measures: "下一步…", "将采取…", "我镇将…".
_IMPROVE_TRIGGER = re.compile(
    r"下一步|下步|接下来|整改措施|改进措施|采取.{0,4}措施|(?:我们|我[镇区市县局委乡])将|"
    r"将(?:进一步|继续|持续|加强|着力|切实|重点|采取|不断|认真|积极|按照|围绕|加大|强化|"
    r"完善|推进|探索|建立|做好|从)")
#: An admission that names no shortcoming of its own.
_GENERIC = re.compile(
    r"(?:存在着?(?:一些|一定的?|部分|少许|若干|以下)?|有(?:一些|一定的?|部分|少许|若干))的?"
    r"(?:问题|不足|差距|短板|薄弱环节|需要加强和改进的地方)"
    r"(?:[和及与、](?:问题|不足|薄弱环节|差距|短板))?")
_FILLER = re.compile(r"[，,。.；;：:、\s“”\"]|主要是|主要表现在|主要表现为|具体表现为|表现在|如下|如|等")
#: "needs (further) strengthening": a shortfall, though it holds a measure verb.
_SHORTFALL = re.compile(
    r"(?:有待|仍待|尚待|待|仍需|尚需|还需|仍需要|还需要|需要|需|亟需|亟待|仍有待)(?:于)?(?:进一步|继续|不断)?"
    r"(?:加强|提升|提高|完善|改善|优化|健全|夯实|拓展|增强|深化|规范|创新|调整)")
#: A measure opening: "一是加强…", "（二）继续完善…", "下一步将…".
_MEASURE_OPEN = re.compile(
    rf"^(?:[{_NUM}]+是|[（(][{_NUM}\d]+[)）]|[{_NUM}\d]+[、.．])?\s*(?:要|将|继续|进一步|不断|持续|切实|着力|全面|"
    r"深入|积极|大力|扎实|认真)?(?:加强|强化|完善|健全|推进|推动|提升|提高|优化|加大|加快|深化|丰富|拓展|"
    r"拓宽|规范|建立|落实|抓好|做好|开展|组织|探索|坚持|围绕|增强|充实|明确|畅通|严格|聚焦|树立|开设|"
    r"着力|扎实|持续|继续|不断|重点|解决|整治|改进|改善|补齐|补强|破解|纠正|压实|配强|配齐)")
#: A numbered short line with no inner punctuation: "（二）改进措施：", "（一）主动公开情况。".
_SHORT_HEAD = re.compile(rf"^[（(]?[{_NUM}\d]{{1,2}}[)）、.．][^，。；,;：:]{{1,16}}[。.：:]?$")
#: A lead-in that runs on into its first item, as flattened crawls give it: "…主要存在以下问题：部分…".
_INNER_LEADIN = re.compile(r"(?:以下|如下|主要|具体|如)[^：:。；;]{0,10}[：:]")
#: What such a lead-in announces; without it "…多种形式，如：图解…" is a list inside a measure.
_ANNOUNCES = re.compile(r"问题|不足|差距|短板|薄弱|表现|以下|如下|措施|改进|整改|工作")
_LEADIN_END = re.compile(r"[：:]\s*$|(?:以下|如下).{0,12}[。.]?\s*$")


def clean_text(text: str) -> str:
    """The unit text without line breaks, spaces and page numbers left by PDF conversion."""
    return _SPACE.sub("", _PAGE.sub("", text))


@dataclass(frozen=True)
class WeakUnit:
    """A unit with its weak labels and topics, and the rule that gave them (for hand checks)."""

    unit: Unit
    labels: frozenset[str]
    topics: frozenset[str]
    rule: str


def keyword_topics(text: str) -> frozenset[str]:
    """Topics whose seed keywords occur in the text."""
    t = clean_text(text)
    return frozenset(k for k, rx in _TOPIC_RE.items() if rx.search(t))


def cue_features(text: str) -> dict[str, float]:
    """Shallow structural and cue-phrase features of one unit (for the models, not a verdict).

    Why: a lead-in ends in "：", a heading is short with no verb, an item opens with 一是; the
    cue counts summarise wording the n-grams would otherwise have to learn from few examples.
    ``part_head`` is a bare part heading ((二)改进措施), which announces and names nothing, unlike
    a measure heading ((一)进一步深化公开内容。) that ``heading`` also flags.
    """
    t = clean_text(text)
    stripped = _HEAD.sub("", t)
    shortfalls = _SHORTFALL.findall(t)
    unmodal = _SHORTFALL.sub("", t)  # "有待加强" is not a measure: drop it before counting
    f: dict[str, float] = {
        "problem_cues": float(sum(t.count(c) for c in PROBLEM_CUES)),
        "improve_cues": float(sum(unmodal.count(c) for c in IMPROVEMENT_CUES)),
        "shortfall": float(len(shortfalls)),
        "measure_open": float(bool(_MEASURE_OPEN.match(stripped))),
        "leadin": float(bool(_LEADIN_END.search(t))),
        "inner_leadin": float(_runs_on(t)),
        "enum": float(bool(_ENUM.match(t))),
        "heading": float(len(stripped) < 4 or bool(_SHORT_HEAD.match(t))),
        "part_head": float(bool(_HEAD.match(t)) and len(_FILLER.sub("", stripped)) < 4),
        "names_problem": float(_names_shortcoming(stripped)),
        "trigger": float(bool(_IMPROVE_TRIGGER.search(t))),
        "generic": float(_is_generic(t)),
        "digits": min(1.0, sum(ch.isdigit() for ch in t) / max(1, len(t)) * 5),
        "short": float(len(t) < 20),
        "long": float(len(t) > 80),
    }
    return f


def content_text(t: str) -> str:
    """A cleaned unit text without the announcement glued before its content: a leading part
    heading ("（二）2024年工作中存在的主要问题1.部分…") or a run-on lead-in ("…主要存在以下问题：部分…").

    Why: the announcement's words belong to the context (``weak.walk_problem_units`` reads them);
    left in the n-grams, the many bare headings teach that "存在的主要问题" means *neither*.
    A unit that is only a heading or lead-in keeps its text.
    """
    head = _HEAD.match(t)
    if head and len(_FILLER.sub("", t[head.end():])) >= 4:
        t = t[head.end():]
    if _runs_on(t):
        t = t[_INNER_LEADIN.search(t).end():]
    return t


def _runs_on(t: str) -> bool:
    """A lead-in that runs on into content in the same unit ("…以下问题：部分科室…")."""
    m = _INNER_LEADIN.search(t)
    return m is not None and len(_FILLER.sub("", t[m.end():])) >= 4 and \
        _ANNOUNCES.search(t[:m.end()]) is not None


def _after_generic(t: str) -> str | None:
    """What follows the last generic admission, minus fillers; None if there is none."""
    last = None
    for m in _GENERIC.finditer(t):
        last = m
    if last is None:
        return None
    return _FILLER.sub("", t[last.end():])


def _is_generic(t: str) -> bool:
    """A generic admission ("…但仍存在一些不足。") that names no specific shortcoming."""
    rest = _after_generic(t)
    if rest is None or len(rest) >= 6:
        return False
    # nothing specific before it either: only an achievement clause ending in 但/虽然…
    head = t[: max(m.start() for m in _GENERIC.finditer(t))]
    head = re.split(r"但|然而|不过", head)[-1]
    return not any(c in head for c in PROBLEM_CUES if c != "问题")


def _part_state(title: str) -> str | None:
    """Which label a part's title announces ((二)改进措施 → improvement).

    A title that opens with a measure ("（二）着力解决网站更新问题") is a measure heading under a
    lead-in, not a problem part, though it says 问题.
    """
    if _PART_IMPROVE.search(title):
        return "improvement"
    if _PART_PROBLEM.search(title) and not _MEASURE_OPEN.match(title):
        return "problem"
    return None


def _leadin_state(t: str) -> str:
    return "improvement" if _IMPROVE_TRIGGER.search(t) or re.search(r"改进|措施|工作[：:]", t) \
        else "problem"


@dataclass(frozen=True)
class UnitContext:
    """Where a section-五 unit stands, as the problem/measure walk sees it.

    ``part`` is what the part heading it is under announces; ``leadin`` what the last lead-in
    before it (in its part) announces; ``state`` the walk's state on reaching its own words
    (parts, lead-ins, its own leading part heading); ``prev``/``next`` the neighbours' kinds
    (``start``/``end``, ``heading``, ``leadin``, ``generic``, ``item``, ``sentence``);
    ``index``/``count`` its place among the section's units; ``role`` what the unit itself does
    in the walk: ``heading``, ``leadin`` or ``generic`` (announces, names nothing) or ``content``.
    """

    part: str | None
    leadin: str | None
    state: str | None
    prev: str
    next: str
    index: int
    count: int
    role: str = "content"


def _neighbour_kind(w: "WeakUnit") -> str:
    """A unit's kind as its neighbour sees it: its structural rule, else item or sentence."""
    if w.rule == "heading" or w.rule.startswith("leadin:") or w.rule == "generic":
        return w.rule.split(":")[0]
    return "item" if w.unit.kind == "item" else "sentence"


def walk_problem_units(report: Report, units: list[Unit]) -> list[tuple["WeakUnit", UnitContext]]:
    """Walk section 五's units in order with a problem/measure state: weak labels and contexts.

    One walk serves both the weak labels (the training signal) and the context the models read,
    so a heading's or lead-in's effect is decided in one place.
    """
    sec_parts = [p for s in report.sections if s.id == "problems" for p in s.parts]
    walked: list[tuple[WeakUnit, str | None, str | None, str | None]] = []
    state: str | None = None
    part_state: str | None = None
    leadin: str | None = None
    current_part = None
    for u in units:
        part = next((p for p in sec_parts if p.start <= u.start < p.end), None)
        if part is not None and part is not current_part:
            current_part = part
            announced = _part_state(part.title)
            if announced is not None:
                part_state, leadin = announced, None
            state = announced or state
        t = clean_text(u.text)
        head = _HEAD.match(t)
        if head:
            announced = _part_state(head.group(0))
            if announced is not None:
                part_state, leadin = announced, None
            state = announced or state
            t = t[head.end():]
        if _runs_on(t):  # a lead-in glued to its first item announces for that item too
            leadin = state = _leadin_state(t[:_INNER_LEADIN.search(t).end()])
        seen = (part_state, leadin, state)
        labels, rule = _label_text(t, state)
        if rule.startswith("leadin") or rule == "switch":
            state = "improvement" if rule == "switch" or rule.endswith(":improvement") else "problem"
            if rule.startswith("leadin"):
                leadin = state
        elif rule == "generic" and state is None:
            state = "problem"
        elif labels and state is None:
            state = "improvement" if labels == {"improvement"} else "problem"
        topics = keyword_topics(t) if labels else frozenset()
        walked.append((WeakUnit(u, frozenset(labels), topics, rule), *seen))
    kinds = [_neighbour_kind(w) for w, *_ in walked]
    n = len(walked)
    return [(w, UnitContext(part, lead, st, kinds[i - 1] if i else "start",
                            kinds[i + 1] if i + 1 < n else "end", i, n,
                            kinds[i] if kinds[i] in ("heading", "leadin", "generic") else "content"))
            for i, (w, part, lead, st) in enumerate(walked)]


def label_problem_units(report: Report, units: list[Unit]) -> list[WeakUnit]:
    """Weak labels for the units of section 五 (``walk_problem_units`` without the contexts)."""
    return [w for w, _ in walk_problem_units(report, units)]


def _label_text(t: str, state: str | None) -> tuple[set[str], str]:
    """Labels of one cleaned unit text (part heading already removed) given the current state."""
    if len(re.sub(r"[\d年月日]", "", _FILLER.sub("", t))) < 4:
        return set(), "heading"
    if _runs_on(t):
        inner = _INNER_LEADIN.search(t)
        # the lead-in announces, the words after it are the first item under that announcement
        lead_state = _leadin_state(t[:inner.end()])
        labels, _ = _label_text(t[inner.end():], lead_state)
        return labels, "leadin+content:" + lead_state
    trig = _IMPROVE_TRIGGER.search(t)
    if _LEADIN_END.search(t):
        # "…存在一些问题：" / "将采取以下措施加以改进：" — announces, names nothing itself
        if not (trig and trig.start() > 0 and _names_shortcoming(t[:trig.start()])):
            return set(), "leadin:" + _leadin_state(t)
    if _is_generic(t):
        return set(), "generic"
    if trig and state != "improvement":
        before, after = t[:trig.start()], t[trig.start():]
        after_body = re.split(r"[：:]", after, maxsplit=1)
        measure = len(after_body) == 1 or len(_FILLER.sub("", after_body[1])) >= 6
        labels = {"improvement"} if measure else set()
        if _names_shortcoming(before):
            labels.add("problem")
        return labels, "switch"
    if state == "improvement":
        if trig is None and _names_shortcoming(t) and re.match(rf"[{_NUM}]+是", t) is None \
                and not _MEASURE_OPEN.match(t):  # "（一）着力解决更新滞后问题。" is a measure
            return {"problem"}, "cue:problem-in-measures"
        return {"improvement"}, "state:improvement"
    if state == "problem":
        return {"problem"}, "state:problem"
    # section 五 opened without a lead-in: fall back on the cues
    if _names_shortcoming(t):
        return {"problem"}, "cue:problem"
    return ({"improvement"}, "cue:improvement") if any(c in t for c in IMPROVEMENT_CUES) \
        else (set(), "none")


def _names_shortcoming(t: str) -> bool:
    """Whether a stretch of text names a shortcoming (cue words beyond a bare 问题/不足 noun)."""
    body = _GENERIC.sub("", t)
    return any(c in body for c in PROBLEM_CUES if c not in ("问题",))


def weak_labels(report: Report) -> list[WeakUnit]:
    """Weak labels for every statement unit of a report: section 五 by structure, the rest neither."""
    units = statement_units(report)
    probs = [u for u in units if u.section == "problems"]
    labelled = {(w.unit.start, w.unit.end): w for w in label_problem_units(report, probs)}
    return [labelled.get((u.start, u.end)) or WeakUnit(u, frozenset(), frozenset(), "section")
            for u in units]
