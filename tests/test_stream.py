"""Streaming reuse detection (shards on disk, candidates on arrays) gives what ``detect`` gives."""
from pathlib import Path

import pandas as pd
import pytest

from nlp.corpus import apply_manifest, read_manifest
from nlp.load import load_reports
from nlp.reuse.banding import decode
from nlp.reuse.candidates import build_table, candidate_pairs
from nlp.reuse.detect import detect
from nlp.reuse.shards import write_shards
from nlp.reuse.stream import candidate_codes, detect_stream, load_table, read_shards
from nlp.reuse.synth import synthesize

N = 1000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    synth = synthesize(N, root / "c", seed=0)
    manifest = read_manifest(synth.manifest)
    reports, _ = load_reports(synth.outdir / "reports")
    apply_manifest(reports, manifest)
    return synth, manifest, reports


@pytest.fixture(scope="module")
def both(corpus, tmp_path_factory):
    synth, manifest, reports = corpus
    (synth.outdir / "reports" / "zz_empty.txt").write_text("")
    try:
        streamed = detect_stream([synth.outdir / "reports"], tmp_path_factory.mktemp("shards"),
                                 manifest=manifest)
    finally:
        (synth.outdir / "reports" / "zz_empty.txt").unlink()
    return detect(reports), streamed


def test_same_passages_families_shares_and_leaks(both):
    local, streamed = both
    assert len(streamed.table) == len(local.table) > 30 * N
    assert streamed.matches == local.matches
    for frame in ("passages_frame", "families_frame", "reports_frame", "leaks_frame"):
        a, b = getattr(local, frame)(), getattr(streamed, frame)()
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    # the planted copies really are there: cross-office and self-copy passages, and leaks
    layers = streamed.passages_frame()["layer"].value_counts()
    assert layers["cross_office"] > 100 and layers["self_copy"] > 100
    assert len(streamed.leaks) > 20


def test_unreadable_file_is_skipped_with_its_reason(both):
    _, streamed = both
    skipped = [(Path(e.path).name, e.reason) for e in streamed.skipped]
    assert skipped == [("zz_empty.txt", "empty file")]


def test_array_candidates_equal_datasketch_lsh(corpus, tmp_path):
    """The banding on sorted arrays pairs exactly what datasketch's MinHashLSH index pairs."""
    _, _, reports = corpus
    shards = write_shards(reports[:300], tmp_path, shard_reports=64)
    assert shards.counts == [64, 64, 64, 64, 44]
    table, _, _ = load_table(read_shards(tmp_path))
    i, j = decode(candidate_codes(table))
    expected = candidate_pairs(build_table(reports[:300]))
    assert set(zip(i.tolist(), j.tolist())) == expected and len(expected) > 1000


def test_order_of_reports_does_not_change_the_result(corpus, tmp_path):
    _, _, reports = corpus
    part = reports[:200]

    def key(result):
        f = result.passages_frame()
        return sorted(zip(f["a_path"], f["a_start"], f["b_path"], f["b_start"], f["layer"],
                          f["similarity"]))

    forward = detect_stream(part, tmp_path / "f", semantic=False)
    backward = detect_stream(part[::-1], tmp_path / "b", semantic=False)
    assert key(forward) == key(backward) and len(key(forward)) > 100


def test_progress_display_and_temporary_workdir(corpus, tmp_path, monkeypatch):
    """progress=True follows every step to its end; workdir=None leaves no folder behind and
    gives what a kept work folder gives."""
    import tempfile

    from nlp.reuse import stream

    _, _, reports = corpus
    part = reports[:600]  # two shards
    kept = detect_stream(part, tmp_path / "kept")
    seen = []
    real = stream.Progress

    class Recording(real):
        def __exit__(self, *exc):
            seen.extend((t.description, t.completed, t.total) for t in self._bars.tasks)
            super().__exit__(*exc)

    monkeypatch.setattr(stream, "Progress", Recording)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    streamed = detect_stream(part, progress=True)
    assert list((tmp_path / "tmp").iterdir()) == []
    pd.testing.assert_frame_equal(kept.passages_frame(), streamed.passages_frame())
    assert len(kept.passages_frame()) > 100
    steps = {d.split(" ")[0]: (done, total) for d, done, total in seen}
    assert {"shards", "LSH", "verify", "embedding", "neighbours"} <= set(steps)
    assert steps["shards"] == (2, 2) and steps["LSH"][0] == steps["LSH"][1] > 1
    assert all(done == total > 0 for done, total in steps.values())


def test_signature_rows_are_datasketch_minhash_values(corpus):
    """The shards' MinHash values (datasketch's formula on blocks) equal datasketch's own."""
    import numpy as np

    from nlp.reuse.candidates import signature_rows, signatures

    _, _, reports = corpus
    masked = build_table(reports[:40]).masked + ["短句", "一二三四", "按时公开信息。"]
    rows = signature_rows(masked, block=97)  # blocks that split the list unevenly
    assert rows.shape == (len(masked), 64) and len(masked) > 1000
    assert (rows == np.vstack([m.hashvalues for m in signatures(masked)])).all()


def test_streamed_texts_are_on_disk_and_read_back_whole(both):
    """The streamed table holds no report text (``ReuseDoc.text`` is None: ≈ 1 GB at 100,000
    reports); what it reads back is each report's text, character for character."""
    local, streamed = both
    assert all(doc.text is None for doc in streamed.table.docs)
    assert streamed.table.masked == []  # released once verified (≈ 1.3 GB at 100,000)
    assert len(streamed.table.texts) == len(local.table.docs) == N
    for d, doc in enumerate(local.table.docs):
        assert streamed.table.text(d) == doc.text
    rows = range(0, len(local.table), 97)
    assert [streamed.table.raw(i) for i in rows] == [local.table.raw(i) for i in rows]


@pytest.mark.parametrize("format", ["jsonl", "csv"])
def test_passages_file_written_in_blocks_is_the_whole_frame_file(both, tmp_path, monkeypatch,
                                                                 format):
    """``govnlp reuse`` writes passages a block at a time (the whole frame with its texts was
    ≈ 1 GB at 100,000 reports): the file is the one the whole frame gives."""
    from nlp.dataset.write import write_file
    from nlp.reuse import detect as detect_module

    _, streamed = both
    monkeypatch.setattr(detect_module, "PASSAGE_BLOCK", 37)
    assert len(streamed.passages) > 5 * 37
    blocks = list(streamed.passage_blocks())
    assert len(blocks) == -(-len(streamed.passages) // 37)
    streamed.write(tmp_path / "out", format)
    write_file(streamed.passages_frame(), tmp_path / f"whole.{format}", format, "passages")
    written = (tmp_path / "out" / f"passages.{format}").read_bytes()
    assert written == (tmp_path / f"whole.{format}").read_bytes()
    assert written.count(b"\n") >= len(streamed.passages)


def test_report_layer_counts_are_the_passages_frame_counts(both):
    from nlp.report.sections_reuse import _layer_counts

    _, streamed = both
    frame = streamed.passages_frame()
    want = frame.groupby("layer").agg(passages=("family", "size"),
                                      reports=("b_report_id", "nunique")).reset_index()
    assert len(want) >= 3
    pd.testing.assert_frame_equal(_layer_counts(streamed), want, check_dtype=False)
