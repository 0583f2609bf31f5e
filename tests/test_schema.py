"""One schema: every frame and every file has the columns of ``nlp/dataset/schema.py``, documented
in ``docs/schema.md``, with the same types in CSV, JSON lines, Parquet and Excel."""
import json
from dataclasses import replace

import pandas as pd
import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import ROOT, SEEDS, seed_path
from nlp import frames
from nlp.dataset import read_frame, write_frame
from nlp.dataset.schema import (LIST_SEP, columns, conform, level_value, names, office_id,
                                report_id, schema_markdown)
from nlp.model import LEVELS
from nlp.reuse.detect import detect

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
DTYPES = {"string": "string", "int": "Int64", "float": "float64", "bool": "boolean",
          "list": "object"}


def strict_json(line: str):
    """json.loads that refuses NaN and Infinity (what every strict parser does)."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(line, parse_constant=refuse)


@pytest.fixture(scope="module")
def seeds():
    return nlp.corpora.load("seeds").reports


@pytest.fixture(scope="module")
def result(seeds):
    return detect(seeds, semantic=False)


@pytest.fixture(scope="module")
def all_frames(seeds, result):
    from nlp.classify.model import statements_frame
    from nlp.summarize import summary_rows

    return {"reports": frames.reports_frame(seeds), "sections": frames.sections_frame(seeds),
            "parts": frames.parts_frame(seeds), "items": frames.items_frame(seeds),
            "sentences": frames.sentences_frame(seeds), "cells": frames.tables_frame(seeds),
            "checks": frames.checks_frame(seeds), "statements": statements_frame(seeds, "sklearn"),
            "summary": summary_rows(seeds, reuse=result), "passages": result.passages_frame(),
            "families": result.families_frame(), "leaks": result.leaks_frame(),
            "shares": result.reports_frame()}


def test_schema_document_is_generated_from_the_schema():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(), \
        "regenerate: python -m nlp.dataset > docs/schema.md"


def test_every_frame_has_exactly_its_documented_columns_and_dtypes(all_frames):
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for name, frame in all_frames.items():
        assert len(frame), name  # the seeds give rows in every frame
        assert list(frame.columns) == names(name), name
        for c in columns(name):
            assert str(frame[c.name].dtype) == DTYPES[c.type], (name, c.name, frame[c.name].dtype)
            assert f"| `{c.name}` | {c.type} |" in doc.split(f"## {name}\n")[1].split("\n## ")[0]


def test_identity_columns(seeds, all_frames):
    dushi = seeds[0]
    assert report_id(dushi.text) == all_frames["reports"].loc[0, "report_id"]
    assert len(report_id(dushi.text)) == 16
    # the same text under another path keeps its id
    assert frames.reports_frame([replace(dushi, path="elsewhere.txt")])["report_id"][0] == \
        report_id(dushi.text)
    assert all_frames["reports"].loc[0, "office_id"] == "360981120"  # 杜市镇's township code
    assert office_id("丰城市发展和改革委员会", "部门", "360981") == "360981:丰城市发展和改革委员会"
    # without a code, a government is its place: one id however its name is written
    assert office_id("董家镇 人民政府", "镇", None) == office_id("董家镇", "镇", None) == "董家镇"
    assert office_id("平潭综合实验区管委会", "区", None) == office_id("平潭综合实验区", "区", None)
    for frame in all_frames.values():
        for col in [c for c in frame.columns if c.endswith("level")]:
            assert set(frame[col].dropna()) <= set(LEVELS)
    assert level_value("department") == "部门"
    with pytest.raises(ValueError, match="not one of"):
        level_value("department office")


def test_passages_are_flat_rows_with_both_sides(seeds, all_frames):
    text = {r.path: r for r in seeds}
    passages = all_frames["passages"]
    for row in passages.itertuples():
        for side in "ab":
            report = text[getattr(row, f"{side}_path")]
            start, end = getattr(row, f"{side}_start"), getattr(row, f"{side}_end")
            assert report.text[start:end] == getattr(row, f"{side}_text")
            section = next(s for s in report.sections if s.start <= start < s.end)
            assert section.id == getattr(row, f"{side}_section")
            assert getattr(row, f"{side}_report_id") == report_id(report.text)
    # 永正镇 copied its 二是… clause from 杜市镇: both sides in section 五, source first
    row = passages[passages["b_office"] == "永正镇人民政府"].iloc[0]
    assert (row.a_office, row.a_section, row.b_section) == ("杜市镇人民政府", "problems", "problems")
    assert (row.a_year, row.b_year) == (2021, 2021)


def test_shares_are_defined_and_directed(seeds, all_frames):
    dushi = seeds[0]
    # the same office's next report, keeping most of its text: a self-copy of the EARLIER one
    later = replace(dushi, text=dushi.text.replace("2021", "2022"), path="dushi_2022.txt",
                    meta=replace(dushi.meta, year=2022))
    shares = detect(seeds + [later], semantic=False).reports_frame()
    overall = shares[shares["section"] == "all"].set_index("path")
    # all of its text but the stock sentences of the national template (nobody's own: 24% here)
    assert 0.7 < overall.loc["dushi_2022.txt", "self_copy_share"] < 0.9
    assert overall.loc[dushi.path, "self_copy_share"] == 0  # it copied nothing from 2022
    # among the five seeds (no template reached by 3 reports): who copied from whom
    shares = all_frames["shares"]
    overall = shares[shares["section"] == "all"].set_index("office")
    yongzheng = overall.loc["永正镇人民政府"]
    assert yongzheng["top_sources"] == ["360981120"]  # 杜市镇, by its division code
    assert 0 < yongzheng["cross_office_share"] <= yongzheng["boilerplate_share"]
    assert overall.loc["杜市镇人民政府", "top_sources"] == ["董家镇"]  # no code: its place name
    assert overall.loc["董家镇人民政府", "cross_office_share"] == 0  # the earliest copied nothing


@pytest.mark.parametrize("name", ["reports", "cells", "families", "shares", "passages", "statements"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(all_frames, tmp_path, name, fmt):
    frame = all_frames[name]
    path = write_frame(frame, tmp_path / f"{name}.{fmt}", name=name)
    raw = {"csv": lambda: pd.read_csv(path), "jsonl": lambda: pd.read_json(path, lines=True),
           "parquet": lambda: __import__("pyarrow.parquet").parquet.read_table(path).to_pandas(),
           "xlsx": lambda: pd.read_excel(path, engine="openpyxl")}[fmt]()
    assert list(raw.columns) == names(name)
    back = read_frame(path, name)
    pd.testing.assert_frame_equal(back, frame, check_exact=False, rtol=1e-12)
    for c in columns(name):
        if c.type == "int" and raw[c.name].notna().all():  # years, offsets: integers in the file
            assert pd.api.types.is_integer_dtype(raw[c.name]), (fmt, c.name, raw[c.name].dtype)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        for c in columns(name):
            if c.type == "list":
                assert str(schema.field(c.name).type).startswith("list<"), c.name
            if c.type == "int":
                assert str(schema.field(c.name).type) == "int64", c.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_result_is_a_file_with_the_columns(seeds, tmp_path, fmt):
    alone = detect(seeds[:1], semantic=False)  # one report: nothing to compare with
    for name, frame in (("passages", alone.passages_frame()), ("leaks", alone.leaks_frame())):
        assert frame.empty and list(frame.columns) == names(name)
        back = read_frame(write_frame(frame, tmp_path / f"{name}.{fmt}", name=name), name)
        assert back.empty and list(back.columns) == names(name)
        assert list(back.dtypes.astype(str)) == list(frame.dtypes.astype(str))


def test_lists_and_missing_values_are_encoded_one_way(all_frames, tmp_path):
    families = all_frames["families"]
    members = families.loc[0, "members"]
    assert len(members) == 2
    csv = write_frame(families, None, "csv", "families")
    assert LIST_SEP.join(members) in csv
    line = strict_json(write_frame(families, None, "jsonl", "families").splitlines()[0])
    assert line["members"] == members and line["source_year"] == 2020
    cells = all_frames["cells"].copy()
    cells.loc[0, "value"] = float("nan")  # a blank published cell
    first = strict_json(write_frame(cells, None, "jsonl", "cells").splitlines()[0])
    assert first["value"] is None and first["year"] == 2021 and isinstance(first["year"], int)
    assert ",2021,proactive," in write_frame(cells, None, "csv", "cells")  # never 2021.0


def test_cli_files_have_the_frames_columns(tmp_path):
    runner = CliRunner()
    seeds = [str(seed_path(p)) for p in ("000", "001", "002")]
    runs = {"sections": ["segment", *seeds], "cells": ["tables", *seeds],
            "checks": ["check", *seeds], "statements": ["classify", *seeds, "-m", "sklearn"],
            "summary": ["summarize", *seeds, "--no-reuse", "-s", "problems"]}
    for (name, args), fmt in zip(runs.items(), ["jsonl", "csv", "xlsx", "parquet", "jsonl"]):
        out = tmp_path / f"{name}.{fmt}"
        result = runner.invoke(app, [*args, "-o", str(out)])
        assert result.exit_code == 0, (name, result.output)
        back = read_frame(out, name)
        assert len(back) and list(back.columns) == names(name)
        if fmt == "jsonl":
            rows = [strict_json(l) for l in out.read_text(encoding="utf-8").splitlines()]
            assert list(rows[0]) == names(name)
    # stdout: jsonl by default, csv when asked; parquet needs a file
    result = runner.invoke(app, ["check", seeds[0], "-f", "csv"])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == ",".join(names("checks"))
    result = runner.invoke(app, ["tables", seeds[0], "-f", "parquet"])
    assert result.exit_code == 2 and "give one with -o FILE" in result.output


def test_cli_reuse_writes_each_frame_in_the_format(tmp_path):
    runner = CliRunner()
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / fmt
        result = runner.invoke(app, ["reuse", str(SEEDS), "-o", str(out), "--no-semantic",
                                     "-j", "1", "--format", fmt])
        assert result.exit_code == 0, result.output
        for name in ("passages", "families", "shares", "leaks"):
            back = read_frame(out / f"{name}.{fmt}", name)
            assert list(back.columns) == names(name) and len(back), name
            if fmt == "jsonl":  # leaks of the source side have null sources: null, not NaN
                for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
                    strict_json(line)


def test_conform_refuses_a_frame_that_disagrees_with_the_schema(all_frames):
    with pytest.raises(ValueError, match="differ from nlp/dataset/schema.py"):
        conform(all_frames["cells"].drop(columns=["office_id"]), "cells")


def test_cli_topics_writes_its_frames_in_the_format(tmp_path):
    out = tmp_path / "topics"
    result = CliRunner().invoke(app, ["topics", str(SEEDS), "-k", "3", "-o", str(out), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [strict_json(l) for l in (out / "over_time.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["year"] for r in rows] == [2020, 2021, 2023]  # the year a column, an integer
    assert abs(sum(r[str(k)] for k in range(3) for r in rows[:1]) - 1) < 1e-6
    docs = [strict_json(l) for l in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert docs and all(isinstance(d["start"], int) for d in docs)
