"""The report itself for the crawl fixtures: preamble, six sections, tables, 落款.

Sentences are written for these fixtures; headings and table labels are the national template's
(国办公开办函〔2021〕30号), identical in every report. ``spec['stat_year']`` keeps every year out
of the narrative so that only the 统计期限 sentence carries it.
"""
from __future__ import annotations

import random

CN_DIGITS = "〇一二三四五六七八九"

INTRO = [
    "{YR}，{we}认真落实《中华人民共和国政府信息公开条例》，围绕群众关心关注的事项做好信息发布，政务公开工作总体平稳有序。",
    "{YR}，在上级政务公开部门的指导下，{we}把政府信息公开列入年度重点任务，明确分管领导和经办人员，按月梳理应当公开的事项。",
    "{YR}，{we}以提升公开质量为重点，统筹做好主动公开、依申请公开和平台维护，各项工作按计划完成。",
    "{YR}，{we}坚持以公开为常态、不公开为例外，把信息公开同日常工作一起谋划、一起落实。",
]
PROACTIVE = [
    "{YR}，{we}通过{platform}主动公开各类政府信息{n1}条，其中工作动态{n2}条、通知公告{n3}条、财政预决算信息{n4}条。",
    "全年共发布政府信息{n1}条，内容涉及惠民补贴发放、建设项目进展、安全生产提示和便民服务事项，做到应公开尽公开。",
    "围绕群众关注的社会救助、耕地保护和人居环境整治等事项，{we}及时更新公开栏目，在公开栏和网站同步发布信息{n1}条。",
]
PROACTIVE_DEPT = [
    "{YR}，{we}在{platform}部门专栏主动公开信息{n1}条，其中部门文件{n2}条、政策解读{n3}条、预决算信息{n4}条。",
    "围绕行政审批、项目管理和政策落实，{we}全年发布各类政府信息{n1}条，并对新出台的{n3}份文件同步发布了解读材料。",
]
REQUESTS_SOME = [
    "{YR}，{we}共收到政府信息公开申请{req}件，均在法定期限内办结答复，未发生逾期答复情况。",
    "{we}明确了申请受理、登记、审核和答复各环节的责任人，全年受理申请{req}件，已全部办结。",
]
REQUESTS_NONE = [
    "{YR}，{we}未收到政府信息公开申请。",
    "本年度{we}未收到公民、法人或者其他组织提出的政府信息公开申请，也未发生相关投诉。",
]
MANAGEMENT = [
    "{we}坚持先审后发，信息发布前由经办人初审、分管负责人复核、主要负责人签发，全年未发生泄密和错发情况。",
    "建立公开信息台账，定期清理过期失效内容，对网站栏目中的错别字、空白栏目开展自查整改。",
    "落实保密审查制度，对涉及个人隐私的名单类信息作去标识化处理后再行公开。",
]
PLATFORM = [
    "{we}以{platform}为主渠道，同时利用公开栏、便民服务中心电子屏和微信群发布政务信息，方便群众就近查阅。",
    "在便民服务中心设置政务公开专区，配备查阅终端，提供政策咨询和申请受理服务。",
    "对政务新媒体账号开展常态化巡查，保持内容更新，关停了长期不更新的账号。",
]
SUPERVISION = [
    "{we}将政务公开工作纳入年度目标考核，定期研究推进，并组织经办人员参加业务培训{k}次。",
    "全年未发生因政府信息公开工作引起的责任追究情况。",
    "主动接受社会监督，在公开专区设置意见箱，收到的意见建议均已回复。",
]
PROBLEMS = [
    "{YR}，{we}政府信息公开工作取得一定成效，但仍存在一些不足：一是公开内容以工作动态为主，政策解读的深度不够；二是经办人员多为兼职，业务能力有待提高。",
    "对照上级要求，{we}的政务公开工作还存在信息更新不够及时、公开形式较为单一、群众参与度不高等问题。",
    "工作中也发现，部分栏目内容更新滞后，图文解读、视频解读等形式运用较少。",
]
IMPROVE = [
    "下一步，{we}将加强业务学习，定期开展栏目巡查，提升信息发布的及时性和准确性，同时丰富解读形式，更好回应群众关切。",
    "针对上述问题，{we}将从三个方面改进：一是健全信息采集报送机制；二是加强人员培训；三是拓展公开渠道，提高公开实效。",
]
OTHER = [
    "{YR}，{we}未收取政府信息公开信息处理费。",
    "本年度{we}未发出收费通知，未收取信息处理费。无其他需要报告的事项。",
    "根据《政府信息公开信息处理费管理办法》，{we}本年度未收取信息处理费。",
]

SUBHEADS = [
    ("（一）主动公开情况", "（一）主动公开", "（一）主动公开政府信息情况"),
    ("（二）依申请公开情况", "（二）依申请公开"),
    ("（三）政府信息管理情况", "（三）政府信息管理"),
    ("（四）政府信息公开平台建设情况", "（四）平台建设情况"),
    ("（五）监督保障情况", "（五）监督保障"),
]

REQ_COLUMNS_HEAD = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
REQ_ROWS = [  # (group cell, label cell, key) as the template prints them
    (None, "一、本年新收政府信息公开申请数量", "new"),
    (None, "二、上年结转政府信息公开申请数量", "carried_in"),
    ("三、本年度办理结果", "（一）予以公开", "granted"),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly"),
    ("（三）不予公开", "1.属于国家秘密", "z"), (None, "2.其他法律行政法规禁止公开", "z"),
    (None, "3.危及“三安全一稳定”", "z"), (None, "4.保护第三方合法权益", "z"),
    (None, "5.属于三类内部事务信息", "z"), (None, "6.属于四类过程性信息", "z"),
    (None, "7.属于行政执法案卷", "z"), (None, "8.属于行政查询事项", "z"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "not_held"),
    (None, "2.没有现成信息需要另行制作", "z"), (None, "3.补正后申请内容仍不明确", "z"),
    ("（五）不予处理", "1.信访举报投诉类申请", "z"), (None, "2.重复申请", "z"),
    (None, "3.要求提供公开出版物", "z"), (None, "4.无正当理由大量反复申请", "z"),
    (None, "5.要求行政机关确认或重新出具已获取信息", "z"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "z"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "z"),
    (None, "3.其他", "z"),
    (None, "（七）总计", "total"),
    (None, "四、结转下年度继续办理", "z"),
]
REQ_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REVIEW_HEAD = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def self_ref(spec: dict) -> str:
    if spec.get("we"):
        return spec["we"]
    return {"镇": "我镇", "乡": "我乡", "街道": "本街道", "县": "我县", "区": "我区", "市": "我市",
            "省": "全省", "部门": "我局"}[spec["level"]]


def numbers(spec: dict, rng: random.Random) -> dict:
    """Table values that add up (新收+结转 = 办结+结转下年) and the counts the narrative cites."""
    big = spec["level"] in ("县", "区", "市", "省", "部门")
    req = rng.choice([0, 0, 1, 2, 3]) if not big else rng.randint(2, 40)
    granted = rng.randint(0, req)
    partly = rng.randint(0, req - granted)
    not_held = req - granted - partly
    n1 = rng.randint(40, 900) if not big else rng.randint(300, 4000)
    n2 = rng.randint(5, n1 // 3)
    n3 = rng.randint(1, n1 // 4)
    docs = rng.randint(0, 3) if not big else rng.randint(2, 30)
    return {
        "req": req, "granted": granted, "partly": partly, "not_held": not_held,
        "n1": n1, "n2": n2, "n3": n3, "n4": rng.randint(1, 6), "k": rng.randint(1, 4),
        "docs": docs, "docs_in_force": docs + rng.randint(0, 12),
        "licensing": rng.randint(0, 60) if big else 0, "penalty": rng.randint(0, 30),
        "coercion": rng.randint(0, 3) if big else 0, "review": rng.choice([0, 0, 1]) if big else 0,
    }


def fmt(spec: dict, sentence: str, nums: dict) -> str:
    yr = "本年度" if spec.get("stat_year") else f"{spec['year']}年"
    text = sentence.format(YR=yr, we=self_ref(spec), platform=spec.get("platform", "政府门户网站"), **nums)
    return text.replace("本年度本年度", "本年度")


def preamble_lines(spec: dict, rng: random.Random) -> list[str]:
    """Title line(s) if the text carries them, then the opening paragraph."""
    out = list(spec.get("title_lines", []))
    y = spec["year"]
    kind = spec.get("preamble", "standard")
    contact = spec.get("contact", spec["office"])
    if kind == "quote":
        out.append("根据《中华人民共和国政府信息公开条例》（国务院令第711号）和国务院办公厅政府信息与政务公开办公室"
                   f"关于年度报告格式的通知要求，现发布《{spec['quoted']}》。本报告的电子版可在"
                   f"{spec.get('site', '本网站')}“政府信息公开年报”栏目查阅下载。如对本报告有疑问，请与{contact}"
                   f"党政办公室联系（地址：{spec.get('address', '政府院内')}，邮编：{spec.get('postcode', '000000')}）。")
    elif kind == "standard":
        out.append("本年度报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制，全文由总体情况、"
                   "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
                   "存在的主要问题及改进情况、其他需要报告的事项六个部分组成。本报告所列数据的统计期限自"
                   f"{y}年1月1日起至{y}年12月31日止。")
    elif kind == "intro":
        who = spec.get("intro_who", contact)
        out.append(f"为进一步做好政府信息公开工作，{who}根据《条例》规定编制了本年度报告，报告中使用的数据"
                   f"统计时间段为{y}年1月1日至12月31日。")
    return out


def body_lines(spec: dict, rng: random.Random, style: str) -> list[str]:
    """Sections 一 to 六 with narrative and the three tables in ``style`` (tab / pipe / cell)."""
    nums = numbers(spec, rng)
    out = ["一、总体情况"]
    if rng.random() < 0.7:
        out.append(fmt(spec, rng.choice(INTRO), nums))
    pools = [PROACTIVE_DEPT if spec["level"] == "部门" else PROACTIVE,
             REQUESTS_SOME if nums["req"] else REQUESTS_NONE, MANAGEMENT, PLATFORM, SUPERVISION]
    inline = rng.random() < 0.35
    for heads, pool in zip(SUBHEADS, pools):
        head = rng.choice(heads)
        k = 1 if pool in (PROACTIVE, PROACTIVE_DEPT, REQUESTS_SOME, REQUESTS_NONE) else rng.choice([1, 2])
        text = "".join(fmt(spec, s, nums) for s in rng.sample(pool, k=k))
        out.extend([f"{head}。{text}"] if inline else [head, text])
    out.append("二、主动公开政府信息情况")
    out.extend(render_table("proactive", nums, style))
    out.append("三、收到和处理政府信息公开申请情况")
    out.extend(render_table("requests", nums, style))
    out.append(spec.get("head4", "四、政府信息公开行政复议、行政诉讼情况"))
    out.extend(render_table("review_litigation", nums, style))
    out.append("五、存在的主要问题及改进情况")
    out.append(fmt(spec, rng.choice(PROBLEMS), nums))
    out.append(fmt(spec, rng.choice(IMPROVE), nums))
    out.append("六、其他需要报告的事项")
    out.append(fmt(spec, rng.choice(OTHER), nums))
    return out


def cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso[:10].split("-"))

    def small(n: int) -> str:
        return ("十" if n // 10 == 1 else (CN_DIGITS[n // 10] + "十" if n >= 20 else "")) + (
            CN_DIGITS[n % 10] if n % 10 or n < 10 else "")
    return "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{small(m)}月{small(d)}日"


def closing_lines(spec: dict) -> list[str]:
    """The 落款: signing office and date, when the report has one."""
    if not spec.get("closing_date"):
        return [spec["closing_name"]] if spec.get("closing_name") else []
    iso = spec["closing_date"]
    y, m, d = (int(x) for x in iso.split("-"))
    date = cn_date(iso) if spec.get("closing_cn") else f"{y}年{m}月{d}日"
    return [spec.get("closing_name", spec["office"]), date]


# -- tables: rows as lists of cells (None for a cell covered by a merge), rendered per style ----

def proactive_rows(n: dict) -> list[list[str]]:
    return [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", str(n["docs"]), "0", str(n["docs_in_force"])],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", str(n["licensing"])],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", str(n["penalty"])],
        ["行政强制", str(n["coercion"])],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "0"],
    ]


def _req_values(n: dict, key: str) -> list[str]:
    v = {"new": n["req"], "granted": n["granted"], "partly": n["partly"], "not_held": n["not_held"],
         "total": n["req"]}.get(key, 0)
    return [str(v), "0", "0", "0", "0", "0", str(v)]


def request_rows(n: dict) -> list[list[str]]:
    rows = [[REQ_NOTE, "申请人情况"], ["自然人", "法人或其他组织", "总计"],
            ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    for group, label, key in REQ_ROWS:
        rows.append(([group] if group else []) + [label] + _req_values(n, key))
    return rows


def review_rows(n: dict) -> list[list[str]]:
    r = n["review"]
    vals = [str(r), "0", "0", "0", str(r)] + ["0"] * 10
    return [["行政复议", "行政诉讼"], REVIEW_HEAD + ["未经复议直接起诉", "复议后起诉"],
            REVIEW_HEAD + REVIEW_HEAD, vals]


# rowspan/colspan of the official template, per (row index, cell index), for the HTML pages
_SPANS = {
    "proactive": {(0, 0): (1, 4), (4, 0): (1, 4), (5, 1): (1, 3), (6, 1): (1, 3), (7, 0): (1, 4),
                  (8, 1): (1, 3), (9, 1): (1, 3), (10, 1): (1, 3), (11, 0): (1, 4), (12, 1): (1, 3),
                  (13, 1): (1, 3)},
    "requests": {(0, 0): (3, 3), (0, 1): (1, 7), (1, 0): (2, 1), (1, 1): (1, 5), (1, 2): (2, 1),
                 (3, 0): (1, 3), (4, 0): (1, 3), (5, 0): (22, 1), (5, 1): (1, 2), (6, 0): (1, 2),
                 (7, 0): (8, 1), (15, 0): (3, 1), (18, 0): (5, 1), (23, 0): (3, 1), (26, 0): (1, 2),
                 (27, 0): (1, 3)},
    "review_litigation": {(0, 0): (1, 5), (0, 1): (1, 10), **{(1, i): (2, 1) for i in range(5)},
                          (1, 5): (1, 5), (1, 6): (1, 5)},
}
_ROWS = {"proactive": proactive_rows, "requests": request_rows, "review_litigation": review_rows}


def render_table(table_id: str, nums: dict, style: str) -> list[str]:
    rows = _ROWS[table_id](nums)
    if style != "html":
        return render_rows(rows, style)
    spans = _SPANS[table_id]
    trs = []
    for i, row in enumerate(rows):
        tds = []
        for j, cell in enumerate(row):
            rs, cs = spans.get((i, j), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tds.append(f"<td{attrs}>{cell}</td>")
        trs.append("<tr>" + "".join(tds) + "</tr>")
    return ['<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>'
            + "\n".join(trs) + "</tbody></table>"]


def render_rows(rows: list[list[str]], style: str) -> list[str]:
    if style == "tab":
        return ["\t".join(r) for r in rows]
    if style == "pipe":  # trafilatura's text output of a table
        return [" | ".join(r) + " |" for r in rows]
    if style == "pipecell":  # a dump that puts each cell on its own line, closed by " |"
        return [ln for r in rows for ln in ["|"] + [f"{c} |" for c in r]]
    out: list[str] = []  # cell per line, a blank line between rows
    for r in rows:
        out.extend(r)
        out.append("")
    return out[:-1]
