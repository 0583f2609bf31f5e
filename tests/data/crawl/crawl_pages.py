"""Page chrome of the crawl fixtures (text dumps) and the saved HTML pages.

Head and tail chrome are lists of ``(line, is_chrome)``: a page title line sits among the chrome
but is not chrome (it names the report). Styles follow the portals studied (Anhui
XxgkAnnualReport pages, Zhejiang 索引号 blocks, Guizhou 标题 tables, plain county sites); all
values (索引号, 网站标识码, 备案号) are invented.
"""
from __future__ import annotations

import html as H
import random

from crawl_content import body_lines, closing_lines, preamble_lines

ABBR = {"安徽省": "皖", "河南省": "豫", "江苏省": "苏", "浙江省": "浙", "四川省": "蜀", "湖南省": "湘",
        "贵州省": "黔", "山东省": "鲁", "江西省": "赣", "广东省": "粤", "云南省": "滇", "广西壮族自治区": "桂",
        "河北省": "冀", "湖北省": "鄂", "吉林省": "吉", "陕西省": "陕", "重庆市": "渝", "上海市": "沪",
        "北京市": "京", "天津市": "津", "甘肃省": "陇", "新疆维吾尔自治区": "新", "宁夏回族自治区": "宁",
        "内蒙古自治区": "蒙", "黑龙江省": "黑", "辽宁省": "辽", "福建省": "闽"}


def _ids(spec: dict, rng: random.Random) -> dict:
    abbr = ABBR[spec["path"][0]]
    pub = spec.get("pub") or spec.get("closing_date") or f"{spec['year'] + 1}-01-20"
    return {
        "index_no": f"11{spec['code6']}{rng.randint(10000, 99999)}/{pub[:4]}-{rng.randint(1, 400):05d}",
        "sid": f"{spec['code6']}{rng.randint(1, 9):04d}",
        "icp": f"{abbr}ICP备{rng.randint(10000000, 99999999)}号",
        "gongan": f"{abbr}公网安备 {spec['code6']}02{rng.randint(100000, 999999)}号",
    }


def _pub(spec: dict, style: str) -> str:
    p = spec.get("pub")
    if not p:
        return ""
    d = p[:10]
    if style == "cn":
        y, m, dd = d.split("-")
        return f"{y}年{m}月{dd}日"
    if style == "date":
        return d
    if style == "slash":
        return d.replace("-", "/")
    return p


def head_chrome(spec: dict, rng: random.Random) -> list[tuple[str, bool]]:
    ids = _ids(spec, rng)
    spec["_ids"] = ids
    style = spec.get("head", "anhui")
    title = spec.get("title")
    gov, pubr, short = spec["gov"], spec.get("publisher", spec["office"]), spec.get("crumb", spec.get("short", ""))
    t = [(title, False)] if title else []
    crumb_mid = f" > {spec['crumb']}" if spec.get("crumb") else ""
    if style == "anhui":
        line = f"发布时间：{_pub(spec, 'full')} 来源：{pubr} 字体：[ 大 中 小 ]" if spec.get("pub") \
            else f"来源：{pubr} 字体：[ 大 中 小 ]"
        return ([("繁体版 | 长者模式 | 无障碍浏览", True), (f"{gov}｜政府信息公开", True),
                 (f"您现在所在的位置：网站首页 > 政府信息公开{crumb_mid} > 政府信息公开年报", True)]
                + t + [(line, True)])
    if style == "zhejiang":
        d = _pub(spec, "date")
        return ([(f"当前位置：首页 > 政务公开 > 乡镇街道{crumb_mid} > 政府信息公开年报", True),
                 (f"索 引 号 {ids['index_no']} 公开方式 主动公开", True),
                 (f"成文日期 {d} 发布机构 {pubr}", True), ("组配分类 政府信息公开年报", True)]
                + t + [(f"发布日期：{d} 访问次数：", True)])
    if style == "guizhou":
        return ([(f"索引号：{ids['index_no']}", True), (f"发布机构：{pubr}  发文日期：{_pub(spec, 'full')}", True),
                 (f"标题：{title}", True)] + t
                + [(f"发布时间：{_pub(spec, 'full')}  字体：[ 大 中 小 ]", True)])
    if style == "simple":
        return ([(f"{gov}｜政务公开", True), ("首页 | 政务公开 | 政务服务 | 互动交流 | 数据开放", True),
                 (f"当前位置：首页{crumb_mid} > 信息公开 > 政府信息公开年报", True)] + t
                + [(f"日期：{_pub(spec, 'slash')}\xa0\xa0\xa0浏览次数：\xa0\xa0\xa0字号：大 中 小", True)])
    if style == "cn_date":
        return ([(f"{gov}｜网上政务", True), (f"您的位置：首页 > 政务公开{crumb_mid} > 年度报告", True)] + t
                + [(f"发布日期：{_pub(spec, 'cn')}　　信息来源：{pubr}　　【字号：大 中 小】", True)])
    if style == "pipe_info":  # a 索引号 table dumped as pipe rows, the date as 生成日期
        return t + [(f"| 索引号 | {ids['index_no']} | 发文字号 | |", True),
                    (f"| 关键词 | 发布机构 | {pubr} | |", True), ("| 公开形式 | 责任部门 | ||", True),
                    (f"| 生成日期 | {_pub(spec, 'full')}:00 | 是否有效 |", True)]
    if style == "date_source":  # the office alone on a line, then the date run into 来源
        y = spec["year"]
        return ([(f"首页 > 政务公开 > 政府信息公开年报 > {y} > 街道办事处政府信息公开工作年度报告", True)] + t
                + [(pubr, True), (f"{_pub(spec, 'cn')}来源:{rng.randint(1, 9)}", True), ("[字体: ] 打印", True)])
    if style == "agency":  # posted by a county agency on the office's behalf
        return ([(f"当前位置：首页 > 政府信息公开 > 政府信息公开年报 > {spec['year']}年 > 乡镇年报", True)] + t
                + [(f"发表日期：{_pub(spec, 'full')}:00 发布机构：{spec['agency']}", True)])
    if style == "voice":
        return ([("点击收听年报语音朗读", True)] + t
                + [(f"发布时间：{_pub(spec, 'full')}　来源：{pubr}　【打印】", True)])
    if style == "today":  # the site's "today is" line: the crawl's date, not the report's
        import datetime as dt

        day = dt.date.fromisoformat(spec["crawled"])
        week = "一二三四五六日"[day.weekday()]
        return ([(f"今天是：{day.year}年{day.month}月{day.day}日 星期{week}", True),
                 (f"{gov}｜政务公开 | 登录 | 注册", True),
                 (f"首页 > 政务公开{crumb_mid} > 政府信息公开年报", True)] + t
                + [(f"发布时间：{_pub(spec, 'full')}  浏览次数：{rng.randint(50, 3000)}", True)])
    if style == "share":  # no title on the page: it lives only in the preamble's 《…》
        out = [("扫描二维码，用手机继续阅读", True)]
        if spec.get("pub"):
            out.append((f"发布时间：{_pub(spec, 'full')}  阅读次数：", True))
        return out
    if style == "source":  # no date anywhere in the chrome
        return ([(f"当前位置：首页 > 政务公开{crumb_mid} > 政府信息公开年报", True)] + t
                + [(f"信息来源：{pubr}  浏览次数：", True)])
    if style == "mirror":
        return ([("简体版 | 繁体版 | English", True), (f"首页 > 政务公开{crumb_mid} > 政府信息公开年报", True)] + t
                + [(f"来源：{pubr}  发布时间：{_pub(spec, 'full')}", True)])
    return t


def tail_chrome(spec: dict, rng: random.Random) -> list[tuple[str, bool]]:
    ids = spec["_ids"]
    style = spec.get("tail", "a")
    gov = spec["gov"]
    if style == "a":
        prev = spec.get("prev_title") or f"{spec.get('short', '')}{spec['year'] - 1}年政府信息公开工作年度报告"
        return [("【打印本页】 【关闭窗口】", True), ("扫一扫在手机打开当前页", True), ("相关链接：", True),
                (f"上一篇：{prev}", True), (f"主办单位：{gov}办公室  承办单位：{gov}政务服务中心", True),
                (f"网站标识码：{ids['sid']}  {ids['icp']}  {ids['gongan']}", True)]
    if style == "b":
        return [("分享到：", True), ("打印 | 关闭", True), ("网站地图 | 联系我们 | 无障碍 | 长者模式", True),
                (f"主办：{gov}  网站标识码：{ids['sid']}", True), (f"{ids['icp']}-1", True)]
    if style == "d":  # a related-reports list: sibling offices' titles, other years
        rel = [(f"· {t}", True) for t in spec.get("related", [])]
        return [("【打印】 【关闭】", True), ("相关文章", True)] + rel + [
            (f"{gov}版权所有  网站标识码：{ids['sid']}", True), (f"{ids['icp']}", True)]
    if style == "c":
        return [("【字体：大 中 小】【打印】【关闭】", True), (f"版权所有：{gov}", True),
                (f"{ids['icp']}  {ids['gongan']}", True)]
    return []


# -- HTML pages ----------------------------------------------------------------------------------

_CONTAINER = {"trs": '<div class="TRS_Editor">', "zoom": '<div id="zoom" class="zoom">',
              "pages": '<div class="pages_content" id="UCAP-CONTENT">'}


def render_html(spec: dict, rng: random.Random) -> tuple[str, list[str]]:
    """A saved gov page: header nav, breadcrumb, 索引号 info table, article, footer; the report's
    tables as <table> with the template's merged cells. Returns (html, chrome strings)."""
    head_chrome(spec, rng)  # same random stream as the text twin
    tail_chrome(spec, rng)
    ids = spec["_ids"]
    e = H.escape
    title = spec.get("title") or spec.get("quoted") or ""
    pubr, gov = spec.get("publisher", spec["office"]), spec["gov"]
    pub = spec.get("pub") or ""
    written = spec.get("written", pub[:10])
    charset = "gb2312" if spec.get("enc", "utf-8") != "utf-8" else "utf-8"
    paras = []
    for line in preamble_lines(spec, rng) + body_lines(spec, rng, "html") + closing_lines(spec):
        if line.startswith("<table"):
            paras.append(f'<div align="center">{line}</div>')
        elif line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") and len(line) < 30:
            paras.append(f'<p style="text-indent:2em;"><strong>{e(line)}</strong></p>')
        elif line in spec.get("title_lines", []):
            paras.append(f'<p style="text-align:center;"><strong>{e(line)}</strong></p>')
        else:
            paras.append(f'<p style="text-indent:2em;">{e(line)}</p>')
    crumb = f'<a href="../">{e(spec["crumb"])}</a> &gt; ' if spec.get("crumb") else ""
    container = _CONTAINER[spec.get("container", "trs")]
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{e(title)}_{e(gov)}</title>
<meta name="SiteName" content="{e(gov)}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{e(title)}">
<meta name="PubDate" content="{e(pub)}">
<meta name="ContentSource" content="{e(pubr)}">
<link rel="stylesheet" type="text/css" href="/images/common.css">
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
</head>
<body>
<div class="topbar"><div class="w1200"><span id="today"></span><script>document.getElementById("today").innerHTML = new Date().toLocaleDateString();</script>
<a href="javascript:void(0)" id="fanti">繁体版</a> | <a href="javascript:void(0)" class="elder">长者模式</a> | <a href="javascript:void(0)" class="wza">无障碍</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{e(gov)}"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">您现在所在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; {crumb}<span>政府信息公开年报</span></div>
<div class="xxgk-info"><table class="info-table" cellspacing="0">
<tr><th>索引号：</th><td>{ids['index_no']}</td><th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>发布机构：</th><td>{e(pubr)}</td><th>成文日期：</th><td>{written}</td></tr>
<tr><th>发布日期：</th><td>{pub[:10]}</td><th>主题分类：</th><td>综合政务</td></tr>
<tr><th>名　　称：</th><td colspan="3">{e(title)}</td></tr>
</table></div>
<div class="article">
<h1 class="article-title">{e(title)}</h1>
<div class="article-info"><span>发布时间：{e(pub)}</span> <span>来源：{e(pubr)}</span> <span>浏览次数：<em id="hits"></em></span> <span>字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
{container}
{chr(10).join(paras)}
</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a>
<div class="share">分享到：<a href="#" class="wx">微信</a> <a href="#" class="wb">微博</a></div></div>
<div class="qrcode"><img src="/images/qrcode.png" alt=""><p>扫一扫在手机打开当前页</p></div>
</div>
<div class="footer"><p>主办单位：{e(gov)}办公室　承办单位：{e(gov)}政务服务中心</p>
<p>网站标识码：{ids['sid']}　<a href="https://beian.miit.gov.cn/">{ids['icp']}</a>　<a href="#">{ids['gongan']}</a></p>
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p></div>
</body>
</html>
"""
    chrome = ["长者模式", "您现在所在的位置：", "索引号：", "发布机构：", "成文日期：", "【打印本页】", "【关闭窗口】",
              "分享到：", "扫一扫在手机打开当前页", f"主办单位：{gov}办公室", f"网站标识码：{ids['sid']}", ids["icp"]]
    return page, chrome
