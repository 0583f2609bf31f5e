"""Key figures of the narrative: numbers with units ("主动公开政府信息 68 条", "收到…申请一条").

The tables give the official counts; the narrative adds what the tables do not have (新闻发布会
12 场, 政策解读 21 条, 合格率 100%) and restates some that they do. Each figure keeps the clause
it stands in, with offsets into ``report.text``, so a reader can check it, and a short label so
figures of many reports can be compared ("主动公开", "收到申请" …).

Only narrative sentences (``kind == "text"``) are read, so table cells never become figures.
Rules, and why:

* Arabic numbers (full-width folded, 5,500 and 1.5 allowed, 万/亿 as magnitude, 余/多 after
  or 近/约/超过 before marking an approximate count) followed by a unit.
* Chinese numerals (一, 十二, 一百零三) only when the unit ends the clause ("…政府信息一条，"):
  inside a phrase they are rhetoric ("三个转变", "六项制度", "一条龙"), not counts.
* Ordinals (第二十条, 第3次) and years or dates (年/月/日 are not units) are never figures.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from nlp.model import Report
from nlp.text.normalize import chinese_number, fold_width
from nlp.text.tokenize import stopwords, words

#: Units, longest first so 人次 wins over 人, 场次 over 场 and 万元 over 元.
UNITS = ("个工作日", "人次", "场次", "万元", "亿元", "元", "条", "件", "个", "次", "场", "篇", "期",
         "项", "份", "家", "名", "人", "起", "宗", "批", "%")
#: Unit characters that begin a longer word instead (人民, 人员, 条例, 件数).
_NOT_AFTER = {"人": "民员", "条": "例", "件": "数"}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[〇零一二两三四五六七八九十百千]+"
_UNIT = "|".join(re.escape(u) + (f"(?![{_NOT_AFTER[u]}])" if u in _NOT_AFTER else "") for u in UNITS)
_WRAP = r"[ \t]*\n?[ \t]*"  # spaces, and at most one line break (hard-wrapped PDF text)
_FIGURE = re.compile(
    rf"(?:(?P<pre>近|约|超过|逾)[ \t]*)?"
    rf"(?:(?<![\d.A-Za-z第])(?P<arabic>{_ARABIC})|(?<![第〇零一二两三四五六七八九十百千万])(?P<chinese>{_CHINESE}))"
    rf"(?P<mag>万(?!元)|亿(?!元))?{_WRAP}(?P<approx>余|多)?{_WRAP}(?P<unit>{_UNIT})")
#: What may follow a Chinese-numeral count: a clause break or the end of the sentence.
_CLAUSE_END = re.compile(r"\s*(?:[，。；、,;：:！？!?）)]|$)")
#: Clause breaks for the figure's text (the clause). A line break is not one: sentences are
#: already cut by the segmenter, so a line break inside one is a PDF wrap.
_CLAUSE = set("，。；;,！？!?")
#: Further breaks for the words a label is taken from.
_LABEL_BREAK = _CLAUSE | set("、：:（()）")

#: Normalised labels: (label, pattern on the words around the number, units it applies to,
#: pattern that vetoes it).
LABEL_RULES: tuple[tuple[str, str, tuple[str, ...] | None, str | None], ...] = (
    ("上年结转", r"结转", None, None),
    ("行政复议", r"复议", None, None),
    ("行政诉讼", r"诉讼", None, None),
    ("收到申请", r"(收到|受理|接到|接收|新收).*申请", None, None),
    ("办理申请", r"(办理|办结|答复).*申请|申请.*(办理|办结|答复)", None, None),
    ("信息处理费", r"处理费|收费", ("元", "万元"), None),
    ("政策解读", r"解读", None, None),
    ("新闻发布会", r"发布会|通气会", None, None),
    ("主动公开", r"主动公开", None, r"申请"),
    ("政务新媒体", r"新媒体|微信|微博|公众号|视频号|短视频|抖音|头条号", None, None),
    ("主动公开", r"(公开|发布|公布|更新)\S{0,12}(信息|文件)|信息公开|政务公开", ("条", "件", "篇"),
     r"申请"),
    ("培训", r"培训", None, None),
)
#: One-character function words left out of a label made of the words themselves.
_FUNCTION = set("共计将对已了把在从于为均有的等和及与占达约近另向其中并")
_LABEL_KEEP = frozenset({"工作", "事项", "其他"})
_TRAIL = re.compile(r"(共计|合计|总计|累计|均为|达到|超过|以上)+$")
_LABEL_CHARS = 10
_SHARE_CHARS = 4
_AFTER_CHARS = 8


def _value(m: re.Match) -> int | float | None:
    """The matched number as int (or float when it has decimals), magnitude applied."""
    if m["arabic"]:
        raw = m["arabic"].replace(",", "")
        value: int | float = float(raw) if "." in raw else int(raw)
    else:
        value = chinese_number(m["chinese"])
        if value is None:
            return None
    if m["mag"]:
        value = value * (10000 if m["mag"] == "万" else 100_000_000)
    if isinstance(value, float) and value.is_integer() and m["unit"] != "%":
        value = int(value)
    return value


def _label_words(text: str) -> list[str]:
    """The content words of ``text``: no numbers, punctuation, stop words (but 工作, 事项 and
    其他, which name things in a label: 工作动态, 服务事项, 其他处理) or function words."""
    stop = stopwords() - _LABEL_KEEP
    return [w for w in words(text) if re.search(r"[\u4e00-\u9fffA-Za-z]", w)
            and w not in stop and w not in _FUNCTION and not re.fullmatch(r"[\d.A-Za-z]+年?", w)]


def _words_label(text: str, from_end: bool = True, max_chars: int = _LABEL_CHARS) -> str:
    """At most ``max_chars`` characters of content words (one word however long), the last
    ones (or the first ones)."""
    toks = _label_words(_TRAIL.sub("", "".join(text.split())))
    if not from_end:
        toks = toks[::-1]
    out: list[str] = []
    for w in reversed(toks):
        if out and sum(map(len, out)) + len(w) > max_chars:
            break
        out.insert(0, w)
    if not from_end:
        out = out[::-1]
    return re.sub(r"[“”\"'《》〈〉「」【】\[\]]", "", "".join(out))


def _rule_label(text: str, unit: str) -> str | None:
    """The first normalised label whose rule matches ``text`` (None if none does)."""
    for label, pattern, units, veto in LABEL_RULES:
        if (units is None or unit in units) and re.search(pattern, text) and not (
                veto and re.search(veto, text)):
            return label
    return None


def figure_label(before: str, unit: str, after: str = "") -> str:
    """A normalised label ("主动公开", "收到申请" …) from the words before a number (else from
    those and the few after its unit: "发布77条信息"); failing that the last content words
    before it ("工作动态"), or the first after it ("12个区直部门" → 区直部门). A percentage
    takes the words before it first ("合格率"), then the rules."""
    before, after = "".join(before.split()), "".join(after.split())
    if unit == "%":  # a share is named by the words right before it: 合格率, 办结率, 显著增长
        return (_words_label(before, max_chars=_SHARE_CHARS) or _rule_label(before + after, unit)
                or _words_label(after, from_end=False))
    return (_rule_label(before, unit) or _rule_label(before + after, unit)
            or _words_label(before) or _words_label(after, from_end=False))


def _clause(text: str, lo: int, hi: int, a: int, b: int, breaks: set[str]) -> tuple[int, int]:
    """The clause of text[lo:hi] around [a, b): from the break before ``a`` to the break at or
    after ``b``, surrounding spaces trimmed."""
    start = a
    while start > lo and text[start - 1] not in breaks:
        start -= 1
    end = b
    while end < hi and text[end] not in breaks:
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _after(view: str, pos: int, end: int) -> str:
    """The few characters after a unit, up to a break or the next number."""
    out = []
    for ch in view[pos:min(end, pos + _AFTER_CHARS)]:
        if ch in _LABEL_BREAK or ch.isdigit():
            break
        out.append(ch)
    return "".join(out)


def sentence_figures(report: Report, section: str, start: int, end: int,
                     view: str | None = None) -> Iterator[dict]:
    """The figures of one narrative sentence ``report.text[start:end]``; ``view`` is the
    report's text width-folded (``fold_width``), passed in so it is made once per report."""
    if view is None:  # same length as the text: offsets in the view are offsets in the text
        view = fold_width(report.text)
    previous_end, previous_label = start, ""
    for m in _FIGURE.finditer(view, start, end):
        if m["chinese"] and not _CLAUSE_END.match(view, m.end(), end):
            continue
        value = _value(m)
        if value is None:
            continue
        num_start = m.start("arabic") if m["arabic"] else m.start("chinese")
        c_start, c_end = _clause(view, start, end, num_start, m.end(), _CLAUSE)
        l_start, _ = _clause(view, start, end, m.start(), m.end(), _LABEL_BREAK)
        before = view[max(l_start, previous_end):m.start()]
        if m["unit"] == "%" and not _words_label(before) and re.search(
                r"[占为达(（]\s*$", view[max(l_start - 1, start):m.start()]):
            label = previous_label  # the share of the count before: "208 件（17.46%）", "占76.9%"
        else:
            label = figure_label(before, m["unit"], _after(view, m.end(), end))
        yield {"section": section, "start": c_start, "end": c_end,
               "text": report.text[c_start:c_end], "value": value, "unit": m["unit"],
               "label": label, "approx": bool(m["approx"] or m["pre"])}
        previous_end, previous_label = m.end(), label


def key_figures(report: Report, sections: Iterable[str] | None = None) -> list[dict]:
    """Numbers with units from the report's narrative, in text order.

    Each is a dict: ``section``, ``start``/``end``/``text`` (the clause, so
    ``report.text[start:end] == text``), ``value`` (int or float; 万/亿 applied), ``unit``
    (条, 件, 万元, % …), ``label`` and ``approx`` (True for 余/多/近/约/超过 counts).
    """
    wanted = set(sections) if sections is not None else None
    view = fold_width(report.text)
    out: list[dict] = []
    for sec, sent in report.iter_sentences(("text",)):
        if wanted is None or sec.id in wanted:
            out.extend(sentence_figures(report, sec.id, sent.start, sent.end, view))
    return out


def format_figures(figures: Iterable[dict], limit: int | None = None) -> str:
    """Figures as one line, "主动公开 68条; 收到申请 1条" (for CSV cells and terminals)."""
    figures = list(figures)[:limit] if limit else list(figures)
    return "; ".join(f"{f['label']} {'约' if f['approx'] else ''}{f['value']}{f['unit']}".strip()
                     for f in figures)


def figures_frame(reports: Iterable[Report]):
    """One row per key figure: path, office, year, section, label, value, unit, text, offsets."""
    import pandas as pd

    cols = ["path", "office", "year", "section", "label", "value", "unit", "approx", "text",
            "start", "end"]
    rows = [{"path": r.path, "office": r.meta.office, "year": r.meta.year, **f}
            for r in reports for f in key_figures(r)]
    return pd.DataFrame(rows, columns=cols)
