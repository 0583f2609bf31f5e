"""The streamed history (nlp/history/stream.py, `govnlp history`): a batch of whole offices at a
time, the same files as the in-memory ``history(...).write`` (issue 15, bounded memory).

Equality is asserted on the real reports (15 shared + 5 seeds; the ten 平潭 years are one
office, so one batch larger than the size) and on 200 generated reports with a manifest, with
batches small enough that there are many. csv and jsonl must be byte-identical; parquet and xlsx
are rebuilt at the end and must hold the same rows.
"""
import gc
import weakref

import pytest

import nlp
from conftest import SEEDS, SHARED_REPORTS
from nlp.classify import StatementClassifier
from nlp.corpus import apply_manifest, read_manifest
from nlp.dataset.write import read_frame
from nlp.history import history
from nlp.history.pairs import office_batches
from nlp.history.stream import HistoryBatches, stream_history, write_history

SOURCES = [SHARED_REPORTS, SEEDS]
FILES = {"csv": ["history.csv", "repeated_problems.jsonl", "improvements.jsonl",
                 "cross_year_checks.csv"],
         "parquet": ["history.parquet", "repeated_problems.jsonl", "improvements.jsonl",
                     "cross_year_checks.parquet"],
         "xlsx": ["history.xlsx", "repeated_problems.jsonl", "improvements.jsonl",
                  "cross_year_checks.xlsx"]}
SCHEMA = {"history": "history", "cross_year_checks": "checks",
          "repeated_problems": "repeated_problems", "improvements": "improvements"}


@pytest.fixture(scope="module")
def clf():
    return StatementClassifier.load()


@pytest.fixture(scope="module")
def real(clf):
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    reports = [r for s in SOURCES for r in nlp.load_reports(s)[0]]
    return reports, history(reports, classifier=clf, batch_size=3)


@pytest.fixture(scope="module")
def synth(tmp_path_factory, clf):
    """200 generated reports (planted self-copies a year later) and their in-memory history."""
    from nlp.reuse.synth import synthesize

    made = synthesize(200, tmp_path_factory.mktemp("synth") / "s200", seed=0)
    reports, _ = nlp.load_reports(made.outdir / "reports")
    apply_manifest(reports, read_manifest(made.manifest))
    return made, reports, history(reports, classifier=clf, batch_size=20)


def same_files(a, b, format):
    """The files of two history folders: csv/jsonl byte-identical, parquet and xlsx the same
    rows (an xlsx holds its time of writing)."""
    for name in FILES[format]:
        stem, ext = name.split(".")
        if ext in ("parquet", "xlsx"):
            left, right = read_frame(a / name, SCHEMA[stem]), read_frame(b / name, SCHEMA[stem])
            assert left.equals(right), name
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize("format", ["csv", "parquet", "xlsx"])
def test_streamed_equals_in_memory_on_the_real_reports(real, clf, tmp_path, format):
    reports, whole = real
    whole.write(tmp_path / "memory", format=format)
    batches = HistoryBatches(SOURCES, size=3, progress=False)
    assert len(batches.batches()) >= 5  # several batches, the 平潭 office one of them
    run = write_history(batches, tmp_path / "stream", format, clf, size=3)
    same_files(tmp_path / "memory", tmp_path / "stream", format)
    # not a vacuous equality: real comparisons, links and checks were made
    frames = whole.frames()
    assert len(frames["repeated_problems"]) >= 2 and len(frames["cross_year_checks"]) >= 18
    assert run.reports == len(reports) == 20 and run.compared == len(frames["cross_year_checks"]) // 2
    plots = sorted(p.name for p in (tmp_path / "memory" / "plots").iterdir())
    assert plots and plots == sorted(p.name for p in (tmp_path / "stream" / "plots").iterdir())
    assert sorted(p.name for p in run.written if p.suffix != ".png") == sorted(FILES[format])


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_streamed_equals_in_memory_on_generated_reports(synth, clf, tmp_path, format):
    made, reports, whole = synth
    whole.write(tmp_path / "memory", format=format, plots=False)
    batches = HistoryBatches(made.outdir / "reports", made.manifest, size=20, progress=False)
    assert len(batches.batches()) >= 8
    run = write_history(batches, tmp_path / "stream", format, clf, plots=False, size=20)
    same_files(tmp_path / "memory", tmp_path / "stream", format)
    frame = whole.history_frame()
    done = frame[(frame["section"] == "all") & frame["previous_report_id"].notna()]
    assert run.compared == len(done) >= 50  # many offices report several years
    assert run.offices == frame["office_id"].nunique() and run.reports == 200
    assert run.near_identical == int(done["near_identical"].fillna(False).sum())
    assert (done["carried_over_share"] > 0).sum() >= 20  # planted self-copies were aligned


def test_batches_follow_the_in_memory_batches(synth):
    """The stream's batches are the detector runs of the in-memory path (same reports in the
    same order), so the alignment cannot differ."""
    made, reports, _ = synth
    streamed = [[f.path for f in b] for b in
                HistoryBatches(made.outdir / "reports", made.manifest, size=20,
                               progress=False).batches()]
    memory = [[reports[k].path for k in b] for b in office_batches(reports, 20)]
    assert streamed == memory and len(memory) >= 8


def test_a_batch_is_dropped_before_the_next(synth, clf, tmp_path):
    """Bounded memory: once the next batch is asked for, no Report of the last one is alive."""
    made, reports, _ = synth
    source = HistoryBatches(made.outdir / "reports", made.manifest, size=20, progress=False)
    alive, seen = [], [0]

    def batches():
        for files in source.batches():
            gc.collect()
            assert not any(ref() is not None for ref in alive), "an earlier batch is still held"
            batch = source.read(files)
            alive[:] = [weakref.ref(r) for r in batch]
            seen[0] += 1
            yield batch
            del batch  # this generator's own reference

    write_history(batches(), tmp_path / "out", "jsonl", clf, plots=False, size=20)
    assert seen[0] >= 8


def test_cli_equals_the_library_on_the_real_reports(real, clf, tmp_path):
    """`govnlp history` (streamed, one worker a core, or `-j 1`: none) writes what
    ``history(reports).write`` writes."""
    from typer.testing import CliRunner

    from cli import app

    reports, _ = real
    whole = history(reports, classifier=clf)  # the default batch size, as the command
    whole.write(tmp_path / "memory", format="csv")
    done = CliRunner().invoke(app, ["history", *map(str, SOURCES), "-o", str(tmp_path / "cli")])
    assert done.exit_code == 0, done.output
    same_files(tmp_path / "memory", tmp_path / "cli", "csv")
    frame = whole.history_frame()
    compared = frame[(frame["section"] == "all") & frame["previous_report_id"].notna()]
    offices = frame["office_id"].nunique()
    assert (f"20 reports of {offices} offices: {len(compared)} compared with an earlier report"
            in done.stdout)
    assert "Traceback" not in done.output
    alone = CliRunner().invoke(app, ["history", *map(str, SOURCES), "-o", str(tmp_path / "one"),
                                     "-j", "1"])
    assert alone.exit_code == 0, alone.output
    same_files(tmp_path / "memory", tmp_path / "one", "csv")
    zero = CliRunner().invoke(app, ["history", *map(str, SOURCES), "-o", str(tmp_path / "0"),
                                    "-j", "0"])
    assert zero.exit_code == 2 and "--workers" in zero.output and "Traceback" not in zero.output


def test_cli_bad_manifest_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    if not SEEDS.is_dir():
        pytest.skip("no seeds")
    bad = tmp_path / "m.csv"
    bad.write_text("no,such,columns\n1,2,3\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["history", str(SEEDS), "--manifest", str(bad),
                                    "-o", str(tmp_path / "out")])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert not (tmp_path / "out").exists()


def test_stream_history_from_paths(synth, clf, tmp_path):
    """The one-call form reads the folder itself; the summary line is the command's."""
    made, _, whole = synth
    run = stream_history(made.outdir / "reports", tmp_path / "out", "jsonl",
                         manifest=made.manifest, classifier=clf, size=20, plots=False)
    assert run.summary().startswith("200 reports of ")
    assert read_frame(tmp_path / "out" / "history.jsonl", "history").equals(whole.history_frame())
