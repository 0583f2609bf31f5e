"""`govnlp topics` over chunks of reports (units kept, reports dropped; boilerplate from
detect_stream) fits the same topics as fit_topics on all the reports in memory."""

import numpy as np
import pandas as pd
import pytest

from nlp.summarize.stream import read_chunks
from nlp.topics import fit_topics
from nlp.topics.corpus import fit_topics_batches


def _same(a, b) -> None:
    assert a.params == b.params
    pd.testing.assert_frame_equal(a.topics, b.topics)
    pd.testing.assert_frame_equal(a.documents, b.documents)
    assert np.array_equal(a.doc_topic, b.doc_topic)


@pytest.mark.parametrize("corpus", ["real_corpus", "synth_corpus"])
def test_batched_topics_equal_in_memory(corpus, request):
    paths, reports = request.getfixturevalue(corpus)
    whole = fit_topics(reports, method="nmf", n_topics=5, seed=0)
    batched = fit_topics_batches(read_chunks(paths, size=3), method="nmf", n_topics=5, seed=0)
    _same(batched, whole)
    assert whole.params["units"] > 30 and (whole.documents["topic"] >= 0).sum() > 30
    assert len(set(whole.documents["path"])) > 3  # units came from several batches


def test_batched_drop_boilerplate_uses_detect_stream(real_corpus, tmp_path):
    from nlp.reuse.detect import detect
    from nlp.reuse.stream import detect_stream

    paths, reports = real_corpus
    whole = fit_topics(reports, drop_boilerplate=True, reuse=detect(reports), n_topics=4, seed=0)
    batched = fit_topics_batches(read_chunks(paths, size=3), drop_boilerplate=True,
                                 reuse=detect_stream(paths, tmp_path / "shards"), n_topics=4, seed=0)
    assert whole.params["boilerplate_dropped"] > 0
    _same(batched, whole)
    with pytest.raises(ValueError, match="needs reuse"):
        fit_topics_batches(read_chunks(paths, size=3), drop_boilerplate=True)


def test_cli_topics_same_frames(real_corpus, tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    paths, reports = real_corpus
    expected = tmp_path / "expected"
    fit_topics(reports, n_topics=4, seed=1).write(expected)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["topics", *paths, "-k", "4", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("topics", "documents", "top_words", "over_time", "year_counts"):
        assert (out / f"{name}.csv").read_text() == (expected / f"{name}.csv").read_text()


def test_cli_topics_nothing_readable(tmp_path):
    from typer.testing import CliRunner

    from nlp.cli import app

    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["topics", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "skipped" in result.output
