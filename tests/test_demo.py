"""`govnlp demo` (what `make demo` runs) writes the study report of the bundled corpus: every
result, and an index.html that reads as a study and links them all."""
import re

from typer.testing import CliRunner

from cli import app


def test_demo_writes_every_result_and_links_them(tmp_path):
    result = CliRunner().invoke(app, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    links = {l.split("#")[0] for l in re.findall(r'href="([^"#][^"]*)"', index)}
    assert {"sections.csv", "statements.csv", "tables.csv", "checks.csv", "summaries.csv",
            "reuse/viewer.html", "reuse/passages.jsonl", "data/office_links.csv",
            "data/section_coverage.csv"} <= links
    for link in links:
        assert (tmp_path / link).is_file(), link
    assert "a study of 5 reports" in index and index.count("<figure") >= 9
    statements = (tmp_path / "statements.csv").read_text(encoding="utf-8")
    assert "problem" in statements and "improvement" in statements
    assert "南乡镇" in (tmp_path / "reuse" / "leaks.jsonl").read_text(encoding="utf-8")
