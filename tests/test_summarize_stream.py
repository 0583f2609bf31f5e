"""`govnlp summarize` streamed (chunks of reports, reuse from detect_stream) equals the in-memory
summary_rows over load_reports, on the real reports and on a small generated corpus."""
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED_REPORTS
from nlp.dataset.write import write_frame
from nlp.load import load_reports
from nlp.summarize import KeywordExtractor, summary_batches, summary_rows
from nlp.summarize.stream import read_chunks, readable, summary_chunks, write_summary


def _real_paths() -> list[str]:
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    return [str(p) for p in sorted(SHARED_REPORTS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))]


def test_fit_batches_is_fit(real_corpus):
    _, reports = real_corpus
    whole = KeywordExtractor().fit(reports)
    batched = KeywordExtractor().fit_batches(reports[k:k + 3] for k in range(0, len(reports), 3))
    assert batched.idf_ == whole.idf_ and batched.n_documents_ == whole.n_documents_ >= 100
    assert batched.unseen_idf_ == whole.unseen_idf_
    # compound heads are credited: 公开 is in more sections than any compound ending in it
    assert batched.idf("公开") < batched.idf("依申请公开")


def test_document_counts_of_shares_add_up_to_fit(real_corpus):
    """The report's keyword pass: each batch counted in a worker, the shares added up."""
    from nlp.offices import OfficeBatches
    from nlp.report.stream import _fit_keywords

    paths, reports = real_corpus
    whole = KeywordExtractor("tfidf").fit(reports)
    batches = OfficeBatches(paths, size=3, progress=False)
    assert len(batches.batches()) > 3
    for workers in (1, 2):
        shared = _fit_keywords(batches, workers=workers)
        assert shared.idf_ == whole.idf_ and shared.n_documents_ == whole.n_documents_ >= 100
        assert shared.unseen_idf_ == whole.unseen_idf_


def _streamed(paths, tmp_path: Path, fmt: str, workers: int = 1) -> str:
    """The summary file as ``govnlp summarize -j workers`` writes it (one process: the library's
    summary_batches over read_chunks; more: summary_chunks in forked processes)."""
    from nlp.reuse.stream import detect_stream

    errors: list = []
    extractor, ok = readable(paths, size=3, errors=errors, workers=workers)
    assert not errors and ok == paths
    reuse = detect_stream(ok, tmp_path / "shards")
    out = tmp_path / f"summary.{fmt}"
    if workers == 1:
        frames = summary_batches(read_chunks(ok, size=3), extractor, reuse=reuse)
    else:
        frames = summary_chunks(ok, extractor, reuse=reuse, size=3, workers=workers)
    n = write_summary(frames, out, fmt)
    text = out.read_text(encoding="utf-8")
    assert n == len(text.splitlines()) - (fmt == "csv")
    return text


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("corpus", ["real_corpus", "synth_corpus"])
def test_streamed_summary_equals_in_memory(corpus, workers, request, tmp_path):
    paths, reports = request.getfixturevalue(corpus)
    frame = summary_rows(reports, reuse=True)
    assert frame["boilerplate_share"].notna().any()  # reuse really took part
    for fmt in ("csv", "jsonl"):
        assert _streamed(paths, tmp_path / fmt, fmt, workers) == \
            write_frame(frame, None, fmt, "summary")


def test_a_file_that_no_longer_reads_is_listed_not_dropped(real_corpus, tmp_path):
    """Files are read twice (keyword IDF, then summaries): one that fails the second time is
    reported with its reason, in the workers as here."""
    paths, reports = real_corpus
    empty = tmp_path / "emptied.txt"
    empty.write_bytes(b"")
    extractor = KeywordExtractor().fit(reports)
    for workers in (1, 2):
        errors: list = []
        frames = list(summary_chunks([*paths[:4], str(empty), *paths[4:8]], extractor, "problems",
                                     size=3, errors=errors, workers=workers))
        assert [Path(e.path).name for e in errors] == ["emptied.txt"]
        assert "empty" in str(errors[0].reason)
        rows = [p for f in frames for p in f["path"]]
        assert rows == paths[:8]  # the others, in file order


def test_cli_summarize_streams_same_rows(real_corpus, tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    paths, reports = real_corpus
    expected = write_frame(summary_rows(reports, "problems", reuse=True), None, "jsonl", "summary")
    result = CliRunner().invoke(app, ["summarize", *paths[:], "-s", "problems", "-f", "jsonl",
                                      "-j", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    out = tmp_path / "s.parquet"
    result = CliRunner().invoke(app, ["summarize", *paths, "-s", "problems", "-o", str(out),
                                      "-j", "1"])
    assert result.exit_code == 0, result.output
    from nlp.dataset.write import read_frame

    back = read_frame(out, "summary")
    assert write_frame(back, None, "jsonl", "summary") == expected


def test_cli_summarize_nothing_readable(tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["summarize", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_cli_summarize_skips_unreadable(tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    seed = sorted(SEEDS.glob("*.txt"))[0]
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["summarize", str(bad), str(seed), "--no-reuse", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stderr and "1 report(s) read, 1 skipped" in result.stderr
    reports, _ = load_reports([seed])
    assert result.stdout == write_frame(summary_rows(reports), None, "csv", "summary")
