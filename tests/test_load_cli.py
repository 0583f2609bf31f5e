"""Whole-report loading, bad input in batches, the CLI, frames and the spaCy Doc."""
import json

import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS, seed_path, shared_path
from nlp.dataset.schema import names

runner = CliRunner()


def outline(report):
    return [(s.id, s.number, s.title, s.start, s.end) for s in report.sections]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_encodings_give_identical_sections(tmp_path, encoding):
    src = seed_path("003")
    original = nlp.load_report(src)
    copy = tmp_path / f"report-{encoding}.txt"
    copy.write_bytes(src.read_text(encoding="utf-8").encode(encoding))
    report = nlp.load_report(copy)
    assert report.text == original.text
    assert outline(report) == outline(original)
    assert report.meta == original.meta


def test_batch_skips_bad_files_and_keeps_the_rest(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "notes.txt").write_text("会议纪要：今天讨论了食堂菜单和停车位。\n下次会议在周五。\n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage that is not a pdf body")
    (tmp_path / "good.txt").write_bytes(seed_path("000").read_bytes())
    reports, skipped = nlp.load_reports(tmp_path)
    assert [r.name for r in reports] == ["good.txt"]
    reasons = {e.path.rsplit("/", 1)[-1]: e.reason for e in skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "notes.txt", "broken.pdf"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "not a 政府信息公开工作年度报告" in reasons["notes.txt"]
    assert "PDF" in reasons["broken.pdf"]
    assert all("\n" not in str(e) for e in skipped)


def test_not_a_report_error_names_the_file(tmp_path):
    path = tmp_path / "novel.txt"
    path.write_text("第一章 春天来了。小明去公园散步。\n", encoding="utf-8")
    with pytest.raises(nlp.NotAReportError) as exc:
        nlp.load_report(path)
    assert str(exc.value).startswith(str(path))


def test_docx_report_segments_like_its_text(tmp_path):
    import docx  # python-docx: a dependency

    text = seed_path("000").read_text(encoding="utf-8")
    doc = docx.Document()
    for line in text.splitlines():
        if "\t" not in line:
            doc.add_paragraph(line)
    path = tmp_path / "report.docx"
    doc.save(path)
    report = nlp.load_report(path)
    assert report.format == "docx"
    assert [s.id for s in report.sections][:7] == ["preamble", "overview", "proactive", "requests",
                                                   "review_litigation", "problems", "other"]
    problems = report.section("problems")
    assert report.text[problems.start:problems.heading_end] == "五、存在的主要问题及改进情况"


def test_corpus_frames_and_manifest():
    corpus = nlp.corpora.load("seeds")
    assert len(corpus) == 5 and corpus.skipped == []
    sections = corpus.sections_frame()
    assert set(sections["section"]) >= {"overview", "problems", "other"}
    row = sections[(sections["office"] == "杜市镇人民政府") & (sections["section"] == "problems")].iloc[0]
    assert row["text"].startswith("五、存在的主要问题及改进情况")
    assert row["region"] == "丰城市" and row["year"] == 2021
    sents = corpus.sentences_frame()
    for _, s in sents.sample(20, random_state=0).iterrows():
        report = next(r for r in corpus if r.path == s["path"])
        assert report.text[s["start"]:s["end"]] == s["text"]
    items = corpus.items_frame()
    assert (items["section"] == "problems").sum() >= 12


def test_spacy_doc_keeps_text_and_sections():
    from nlp.spacy_doc import report_to_doc

    report = nlp.load_report(seed_path("000"))
    doc = report_to_doc(report)
    assert doc.text == report.text
    spans = doc.spans["sections"]
    assert [s.label_ for s in spans] == [s.id for s in report.sections]
    problems = next(s for s in spans if s.label_ == "problems")
    assert problems.start_char == report.section("problems").start
    assert problems.text.startswith("五、存在的主要问题及改进情况")
    assert problems._.number == "五"
    tokens = [t.text for t in doc[problems.start:problems.start + 12]]
    assert "存在" in tokens  # jieba words, not single characters
    assert len(doc.spans["items"]) == sum(len(s.items) for s in report.sections)


def test_spacy_doc_uses_the_domain_dictionary_and_leaves_jieba_alone():
    import jieba

    from nlp.spacy_doc import blank_zh, report_to_doc

    report = nlp.load_report(seed_path("000"))
    plain = jieba.lcut(report.text)
    tokens = [t.text for t in report_to_doc(report)]
    # 《中华人民共和国政府信息公开条例》 and 政府信息公开工作 are single domain-dictionary words
    assert "中华人民共和国政府信息公开条例" in tokens and "政府信息公开工作" in tokens
    assert "中华人民共和国政府信息公开条例" not in plain
    # the global tokenizer (which the shipped spaCy classifier reads through) is unchanged
    assert jieba.lcut(report.text) == plain
    assert [t.text for t in blank_zh()("依申请公开")] == ["依", "申请", "公开"]


def test_cli_segment_jsonl():
    result = runner.invoke(app, ["segment", str(seed_path("000"))])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # one row per section
    assert list(rows[0]) == names("sections")
    assert rows[0]["office"] == "杜市镇人民政府" and rows[0]["year"] == 2021
    problems = next(r for r in rows if r["section"] == "problems")
    text = seed_path("000").read_text(encoding="utf-8")
    assert text[problems["start"]:].startswith("五、存在的主要问题及改进情况")
    assert text[problems["start"]:problems["end"]] == problems["text"]


def test_cli_segment_csv_to_file_and_skipped(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    out = tmp_path / "sections.csv"
    result = runner.invoke(app, ["segment", str(SEEDS), str(bad), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert "empty.txt" in result.stderr and "skipped" in result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(names("sections"))
    assert sum(1 for l in lines if ",problems," in l) == 5


def test_cli_all_bad_exits_nonzero(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    result = runner.invoke(app, ["segment", str(bad)])
    assert result.exit_code == 1
    assert "unreadable PDF" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_cli_show_outline():
    result = runner.invoke(app, ["show", str(shared_path("017"))])
    assert result.exit_code == 0, result.output
    assert "heading lost" in result.stdout
    assert "（一）主要问题" in result.stdout and "review_litigation" in result.stdout


def test_cli_prints_file_names_literally(tmp_path):
    # Square brackets are rich markup: "[final]" would vanish and "[/b]" would crash the print.
    good = tmp_path / "年报[final].txt"
    good.write_bytes(seed_path("000").read_bytes())
    bad = tmp_path / "x[/b].txt"  # the file "b].txt" in the folder "x["
    bad.parent.mkdir()
    bad.write_bytes(b"")
    result = runner.invoke(app, ["check", str(good), str(bad)])
    assert result.exit_code == 0, result.output
    assert f"skipped {bad}: empty file" in result.stderr
    assert str(good) in result.stdout
    result = runner.invoke(app, ["show", str(bad)])
    assert result.exit_code == 1
    assert f"error {bad}: empty file" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    out = tmp_path / "out[/i]" / "sections[1].csv"
    result = runner.invoke(app, ["segment", str(good), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr and out.is_file()
