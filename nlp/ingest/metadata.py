"""Report metadata (office, level, division, year, dates, contact details) read from the report.

It runs once per report inside a >500 reports/s pipeline, so it only reads the first and the last
~1500 characters (converted to simplified characters when a mirror copy is in traditional ones),
the page's own metadata (``source_meta``), and looks names up in dict indexes of the official
division list (:mod:`nlp.identity`). A field nothing states stays ``None``; nothing is guessed.

Evidence for the office, most trusted first: the page's title (``source_meta['title']``); the
report's title in its first lines (after breadcrumbs and 发布时间/来源 chrome lines) or inside 《…》
in the preamble ("现发布《亳州市利辛县阚疃镇2024年政府信息公开工作年度报告》"); the 落款 (signature
and date after the last section); the page's publisher (``source_meta['publisher']``, a
"来源：…" chrome line); the preamble ("由…编制", "请与…联系"). Every other place name in that
evidence may then settle which of several same-named divisions the office is
(:func:`nlp.identity.resolve.place_office`). The year is the title's (the page's first), else
the 统计期限's, else the publication year − 1 (warned); the publication date is the page's
发布时间, else its 成文日期, else the 落款's date (:mod:`nlp.identity.dates`). What could not
be settled is said in ``warnings``.
"""
from __future__ import annotations

import re

from nlp.identity.dates import (days_after_deadline, iso_from_match, parse_date, report_year,
                                statistics_year)
from nlp.identity.evidence import chrome_fields, is_chrome_line, meta_value, to_simplified
from nlp.identity.resolve import name_ending_at, place_office, split_names
from nlp.model import ReportMeta

HEAD = 1500  # title, preamble and contact details live here
TAIL = 1500  # the 落款 lives here

# Full-width digits/letters/＠/－/．/＿ to ASCII, dashes to "-" (phones are written 0795—6872081).
# Only these rare characters are folded (str.translate costs ~70 ns a character); the patterns
# below accept full-width punctuation (：（）；) as it is.
_RARE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0d\uff0e\uff3f\u2013-\u2015\u2212]")

_CJK = "\u4e00-\u9fff"
# Reading backwards from a place name, these characters end it ("请与|淮安市", "按照|正宁县").
_STOP = "与于在由向对及和的是为将请据按照我该各址"
# ...and these never occur in a place name but do in department names ("公安局XX区分局").
_PLACE_CH = rf"(?:(?![{_STOP}局厅委办院所处室])[{_CJK}])"
_STOP_CH = re.compile(rf"[^{_CJK}]|[{_STOP}]")  # .match() on one character

# A place that can contain the office's place: name of 2-5 characters plus a marker.
_PIECE = rf"{_PLACE_CH}{{2,5}}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗)"
_PIECES = re.compile(rf"(?:{_PIECE})*({_PIECE})")  # group 1 = the innermost place
# "丰城市杜市镇" → pre "丰城市", unit "杜市镇" (a piece needs a 2-character name, so "杜市" is none).
_SPLIT = re.compile(
    rf"(?P<pre>(?:{_PIECE})*)(?P<unit>{_PLACE_CH}{{1,12}}?"
    rf"(?:街道|镇|乡|自治县|县|旗|自治区|区|市|自治州|州|盟|省))"
)
_LEVEL_BY_SUFFIX = (
    ("街道", "街道"), ("自治区", "省"), ("自治州", "市"), ("自治县", "县"), ("镇", "镇"), ("乡", "乡"),
    ("县", "县"), ("旗", "县"), ("区", "区"), ("市", "市"), ("州", "市"), ("盟", "市"), ("省", "省"),
)
_GOV_END = re.compile(r"(?:人民政府|政府|管委会|管理委员会|行政公署|办事处)$")
_DEPT_END = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|厅|中心|院|处|所|办|署|部|站|队|室|会|馆|公司|集团|学校|大学)$"
)
# Suffixes that turn a bare place ("董家镇") into its government; bare 政府 is left out because
# "永正镇政府信息公开工作报告" reads both ways.
_GOV_FORMS = ("人民政府", "管委会", "管理委员会", "街道办事处", "办事处")

_TITLE = re.compile(
    rf"(?:关于)?(?P<a>[{_CJK}]{{0,30}}?)(?:(?P<y>(?:19|20)\d\d)年度?)?(?P<b>[{_CJK}]{{0,30}}?)"
    rf"(?:政府信息(?:与政务)?公开|政务公开|信息公开|资讯公开)[{_CJK}]{{0,10}}?(?:报告|年报)"
)
_TITLE_JUNK = re.compile(r"正文|目录|[-\d.·]*|(?!报告).{1,2}")  # fullmatch on a compacted line
_PAGE_JUNK = re.compile(r"[-\d.·/第页共]*")
# A title quoted in the preamble: "现发布《亳州市利辛县阚疃镇2024年政府信息公开工作年度报告》".
_QUOTED_TITLE = re.compile(r"《([^《》]{6,60}?(?:报告|年报))》"
                           r"|(?:现特?|特)(?:向社会)?(?:公布|发布)([^，。；,;《》]{6,60}?(?:报告|年报))")
# A title's org never starts like prose ("现将本镇2024年…报告如下", "根据…").
_PROSE_START = tuple("现将本根据按照为我各全今经由在对")
# A publisher that names a place ("阚疃镇人民政府"), not "本站" or "县政府办".
_PLACED_ORG = re.compile(rf"{_PLACE_CH}{{2,}}?(?:街道|镇|乡|县|区|市|州|盟|旗|省)")
_TITLE_Y = re.compile(  # a title with its year, for text that is not a title line of its own
    rf"(?P<a>[{_CJK}]{{0,40}}?)(?P<y>(?:19|20)\d\d)年度?(?P<b>)"
    rf"(?:政府信息(?:与政务)?公开|政务公开|信息公开|资讯公开)[{_CJK}]{{0,10}}?(?:报告|年报)"
)
_ORG_JUNK = re.compile("年报|报告|朗读|首页|位置|栏目|专栏")  # chrome words run into a title
_CRUMB_SEP = re.compile("[>＞»›]")
TITLE_LINES = 15  # chrome lines (breadcrumb, 发布时间, 索引号 block) may stand before the title

_DATE = (
    r"(?:(?P<y>(?:19|20)\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"|(?P<cy>[〇○零O0一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月"
    r"(?P<cd>[一二三四五六七八九十]{1,3})日)"
)
_DATE_LINE = re.compile(rf"(?P<org>[{_CJK}()（）]{{2,40}}?)?{_DATE}")
_ORG_LINE = re.compile(rf"[{_CJK}()（）]{{2,30}}")

_PHONE = re.compile(
    r"电话(?:[/／]传真|及传真)?[:：]?(?:(?P<area>[(（]0\d{2,3}[)）]|0\d{2,3}-+)?(?P<num>\d{7,8})(?!\d)"
    r"|(?P<raw>0\d{9,11}|1[3-9]\d{9})(?!\d))"
)
_POSTCODE = re.compile(r"(?:邮编|邮政编码)[:：]?(\d{6})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_PRE_ORG = re.compile(
    rf"(?:请与|请于|由|地址[:：])({_PLACE_CH}{{2,20}}?(?:人民政府|管委会|管理委员会|街道办事处|办事处))"
)
_PRE_PLACE = re.compile(rf"(?:请与|由)({_PLACE_CH}{{1,12}}?(?:街道|镇|乡|县|区|市))(?:党政)?办")
# "由无锡市锡山区人民政府厚桥街道党政办公室编制": the office is the township after the county's name
_SUB_UNIT = re.compile(rf"({_PLACE_CH}{{1,8}}?(?:街道|镇|乡))(?:党政|党工委|办事处|人民政府|综合|办公)")
# "对照《条例》和正宁县政务公开相关规定": a county named as the town's superior.
_COUNTY = re.compile(r"[县旗](?=政|人民政府|委|门户)")

def _fold_char(m: re.Match) -> str:
    c = m[0]
    return "-" if c in "\u2013\u2014\u2015\u2212" else chr(ord(c) - 0xFEE0)


def _fold(s: str) -> str:
    return _RARE.sub(_fold_char, s)


def _compact(s: str) -> str:
    """Folded text without any whitespace: PDF text breaks "邮 编 ：\\n223100" anywhere."""
    return "".join(_fold(s).split())


def _strip_gov(name: str) -> str:
    """The place part of a government's name: "淮安市洪泽区人民政府" → "淮安市洪泽区"."""
    if name.endswith("街道办事处"):
        return name[:-3]
    return _GOV_END.sub("", name)


def office_level(name: str | None) -> str | None:
    """镇/乡/街道/县/区/市/省 from the office's own name, 部门 for a government department
    (…局, …委, …办公厅); None when the name shows neither. The name's word only: an office the
    division list places gets its division's level instead (旗 → 县, 自治州 → 市)."""
    if not name:
        return None
    place = _strip_gov(name)
    if place == name and _DEPT_END.search(name):
        return "部门"
    if name.endswith(("管委会", "管理委员会")) and not place.endswith("区"):
        return "部门"  # 城市管理委员会 is a department; only a 区's 管委会 governs a place
    for suffix, level in _LEVEL_BY_SUFFIX:
        if place.endswith(suffix) and len(place) > len(suffix):
            return level
    return None


def short_office_name(name: str | None) -> str | None:
    """The unit itself ("淮安市洪泽区人民政府" → "洪泽区"); departments keep their full name."""
    level = office_level(name)
    if level is None:
        return None
    if level == "部门":
        return name
    place = _strip_gov(name)
    m = _SPLIT.fullmatch(place)
    return m["unit"] if m else place


def _name_region(name: str, level: str) -> str | None:
    """The region written inside the name: "淮安市" in "淮安市洪泽区人民政府" and, for a
    department, the place it serves ("上海市" in "上海市人民政府办公厅")."""
    if level == "部门":
        m = _PIECES.match(name)
        return m[1] if m and m.end() < len(name) else None
    m = _SPLIT.fullmatch(_strip_gov(name))
    if m and m["pre"]:
        return _PIECES.fullmatch(m["pre"])[1]
    return None


def _run_before(w: str, i: int) -> str | None:
    """The place-name characters right before ``w[i]``, if a stop (punctuation, "与", "由" …)
    bounds them within 12 characters; None when unbounded, so a verb is never read as a place."""
    j = i
    while j > 0 and i - j < 12 and not _STOP_CH.match(w[j - 1]):
        j -= 1
    return w[j:i] if j == 0 or _STOP_CH.match(w[j - 1]) else None


def _region_before(short: str, windows: list[str]) -> str | None:
    """The county/city written right before the unit's name ("地址:丰城市杜市镇人民政府")."""
    for w in windows:
        i = w.find(short)
        while i != -1:
            listed = name_ending_at(w, i)  # "和林格尔县": 和 also ends a run of prose
            if listed:
                return listed[0]
            run = _run_before(w, i)
            m = _PIECES.fullmatch(run) if run else None
            if m:
                return m[1]
            i = w.find(short, i + 1)
    return None


def _county(window: str) -> str | None:
    """The one county the text names as a superior ("和正宁县政务公开"); None if 0 or several."""
    names = set()
    for m in _COUNTY.finditer(window):
        listed = name_ending_at(window, m.end(), max_level=3)
        run = _run_before(window, m.start())
        if listed and listed[1][0].level == 3:
            names.add(listed[0])
        elif run and 2 <= len(run) <= 3 and _PIECES.fullmatch(run + m[0]):
            names.add(run + m[0])
    return names.pop() if len(names) == 1 else None


def _title_org(m: re.Match | None) -> str | None:
    org = (m["a"] or m["b"] or None) if m else None
    if org:
        org = _ORG_JUNK.split(org)[-1]  # "点击收听年报语音朗读|滦平县…人民政府", "年报|安定区…"
        if org.endswith("人民"):  # "合水镇人民政府信息公开…报告": the 政府 went to 政府信息公开
            org += "政府"
    ok = org and len(org) <= 30 and not org.startswith(_PROSE_START) and office_level(org)
    return org if ok else None


def _title(head: str) -> tuple[str | None, int | None]:
    """Office and year from the title among the first lines: chrome (breadcrumbs, 发布时间/来源…)
    and junk ("正文", page numbers) skipped; each line alone first, then three lines joined so a
    title wrapped over two PDF lines still reads as one. A line naming no office and no year
    ("政府信息公开年报" as a column name) does not end the search. A breadcrumb's last part
    may hold the title when a crawl flattened the page ("…> 政府信息公开年报安定区…2024年…报告")."""
    lines: list[str] = []
    crumbs: list[str] = []
    for raw in head[:1000].splitlines():
        line = _compact(raw[:200])
        if not line or _TITLE_JUNK.fullmatch(line):
            continue
        if is_chrome_line(line):
            if crumbs or not (parts := _CRUMB_SEP.split(line))[-1]:
                continue
            crumbs.append(parts[-1])
            continue
        lines.append(line)
        if len(lines) == TITLE_LINES:
            break
    first = lines[:4]  # the title is among the first prose-like lines
    for line in first:  # a whole title on one line, after a junk line ("点击收听…")
        m = _TITLE.match(line[:120])
        if m and (org := _title_org(m)):
            return org, int(m["y"]) if m["y"] else None
    for k in range(len(first)):
        m = _TITLE.match("".join(lines[k:k + 3])[:120])
        if m and (m["y"] or _title_org(m)):
            return _title_org(m), int(m["y"]) if m["y"] else None
    for cand in crumbs:
        m = _TITLE_Y.match(cand[:120])
        if m and (org := _title_org(m)):
            return org, int(m["y"])
    return None, None


def _quoted_title(preamble: str) -> tuple[str | None, int | None]:
    """Office and year of a title quoted in the preamble ("现发布《…年度报告》", or unquoted:
    "现特向社会公布2024年合水镇人民政府信息公开工作年度报告")."""
    for q in _QUOTED_TITLE.finditer(preamble):
        m = _TITLE.fullmatch(q[1] or q[2])
        if m and (org := _title_org(m)):
            return org, int(m["y"]) if m["y"] else None
    return None, None


def _closing(block: str) -> tuple[str | None, str | None]:
    """(office, ISO date) from the 落款: a date on one of the last lines, the office on the same
    line or the line before it. A date inside a sentence is never the publication date."""
    lines: list[str] = []
    for raw in reversed(block.splitlines()):
        c = _compact(raw)
        if c and not _PAGE_JUNK.fullmatch(c):
            lines.insert(0, c)
            if len(lines) == 5:
                break
    for i in range(len(lines) - 1, -1, -1):
        m = _DATE_LINE.fullmatch(lines[i])
        if not m:
            continue
        org = m["org"]
        if org is None and i > 0 and _ORG_LINE.fullmatch(lines[i - 1]):
            org = lines[i - 1]
        if org is not None and not office_level(org):
            if m["org"]:
                continue  # "截至2023年12月31日" is not a signature
            org = None
        return org, iso_from_match(m)
    if lines and len(lines[-1]) <= 25 and _ORG_LINE.fullmatch(lines[-1]) and office_level(lines[-1]):
        return lines[-1], None  # signed but undated
    return None, None


def _email(window: str) -> str | None:
    i = window.find("@")  # cheap gate: the regex alone is slow over digit-heavy tables
    m = _EMAIL.search(window, max(i - 64, 0), i + 64) if i != -1 else None
    return m[0] if m else None


def _phone(window: str) -> str | None:
    m = _PHONE.search(window)
    if not m:
        return None
    if m["raw"]:
        return m["raw"]
    area = (m["area"] or "").strip("()（）-")
    return f"{area}-{m['num']}" if area else m["num"]


def _publisher(value: str) -> str | None:
    """The office a page's 来源/发布机构 names, if it names a placed one."""
    org = _compact(value)
    return org if org and _PLACED_ORG.match(org) and office_level(org) else None


def extract_metadata(
    text: str, *, preamble_end: int | None = None, closing_start: int | None = None,
    text_end: int | None = None, source_meta: dict | None = None, warnings: list[str] | None = None,
) -> ReportMeta:
    """Everything the report and its page say about it; see ``ReportMeta``.

    ``preamble_end`` (start of 一、总体情况) and ``closing_start`` (start of the 落款) are optional
    hints from segmentation, as is ``text_end`` (start of the site chrome after the report: its
    备案号 and webmaster's 电话 are not the office's); ``source_meta`` is the page's metadata
    (``Report.source_meta``).
    Why the office could not be placed, or why the year is assumed, is appended to ``warnings``."""
    sm = {k: to_simplified(meta_value(v)) for k, v in (source_meta or {}).items()
          if v and isinstance(v, str)}
    end = len(text) if text_end is None else text_end
    tail_start = max(end - TAIL, 0)
    head_raw, tail_raw = to_simplified(text[:min(HEAD, end)]), to_simplified(text[tail_start:end])
    head_fold, tail_fold = _fold(head_raw), _fold(tail_raw)
    head, tail = "".join(head_fold.split()), "".join(tail_fold.split())
    if preamble_end is not None and preamble_end <= HEAD:
        preamble = _compact(head_raw[:preamble_end])
    else:
        preamble = _compact(to_simplified(text[:preamble_end])) if preamble_end is not None else head
    chrome = chrome_fields(head_raw[:preamble_end] if preamble_end is not None else head_raw)

    sm_org, sm_year = _title(sm["title"]) if sm.get("title") else (None, None)
    title_org, year = _title(head_raw)
    if not title_org:
        title_org, quoted_year = _quoted_title(preamble)
        year = year or quoted_year
    if sm.get("title") and not sm_org:  # "栏目名_XX镇2024年…报告"
        m = _TITLE.search(_compact(sm["title"]))
        sm_org, sm_year = _title_org(m), sm_year or (int(m["y"]) if m and m["y"] else None)
    if closing_start is not None:
        block = to_simplified(text[closing_start:end]) if closing_start >= tail_start else tail_raw
    else:
        block = ""
    sig_org, date = _closing(block if block.strip() else tail_raw)  # empty hint: look anyway
    pub_org = next((o for src in (sm, chrome) if (o := _publisher(src.get("publisher", "")))), None)
    pre_org = None
    if not (sm_org or title_org or sig_org or pub_org):
        m = _PRE_ORG.search(preamble) or _PRE_PLACE.search(preamble)
        pre_org = m[1] if m else None
        if m and (sub := _SUB_UNIT.match(preamble, m.end())):
            pre_org = _strip_gov(pre_org) + sub[1]
    office = sm_org or title_org or sig_org or pub_org or pre_org

    level = office_level(office)
    if office and not _GOV_END.search(office) and level not in (None, "部门"):
        # A bare place ("董家镇", "平潭综合实验区"): name its government as the text does
        # anywhere (a substring test is cheap, unlike regexes, over the whole text).
        hit = next((office + f for f in _GOV_FORMS if office + f in text or office + f in head), None)
        if hit:
            office, level = hit, office_level(hit)
    short = short_office_name(office)

    region = None
    if office and level:
        region = _name_region(office, level)
        if region is None and level != "部门":
            region = _region_before(short, [sig_org or "", head, tail])
        if region is None and level in ("镇", "乡", "街道"):
            region = _county(head)

    publication = next((d for k in ("published", "written") for src in (sm, chrome)
                        if k in src and (d := parse_date(src[k]))), None) or date
    year = sm_year or year
    year, why = report_year(year, statistics_year(head), publication)
    if why and warnings is not None:
        warnings.append(why)

    fields: dict = {}
    if office and level:
        def context() -> list[str]:  # read only when the name alone is ambiguous
            return [o for o in (sm_org, title_org, sig_org, pub_org, pre_org, region) if o] + [
                sm.get("title", ""), sm.get("publisher", ""), chrome.get("publisher", ""), head, tail]

        placed = place_office(office, department=level == "部门", context=context, year=year)
        if placed.division is not None:
            level = placed.level
            fields = {"division_code": placed.division.code, **placed.names()}
            if level != "部门":  # the list cuts names the patterns cannot ("和林格尔县|城关镇")
                pieces = split_names(_strip_gov(office)) or []
                if len(pieces) > 1:
                    short, region = pieces[-1][0], region or pieces[-2][0]
        elif warnings is not None:
            warnings.append(placed.warning)
    elif warnings is not None and not office:
        warnings.append("identity: the report names no office; division left empty")

    postcode = next((m[1] for w in (head, tail) if (m := _POSTCODE.search(w))), None)
    return ReportMeta(
        office=office, office_short=short, level=level, region=region, year=year, date=date,
        phone=_phone(head) or _phone(tail), email=_email(head_fold) or _email(tail_fold),
        postcode=postcode, publication_date=publication,
        days_after_deadline=days_after_deadline(year, publication), **fields,
    )
