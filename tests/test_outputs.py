"""Outputs written whole: an interrupted run leaves the previous output, never a mix; a folder
output never deletes files govnlp did not write."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import ROOT, SEEDS, seed_path
from nlp.atomic import MARKER, OutputError, atomic_file, atomic_folder
from nlp.reuse.synth import synthesize

runner = CliRunner()
#: Large enough that writing the reports (~0.1 ms each) is a window of a few hundred ms to kill
#: in; composing them first takes ~1 ms each.
KILL_N = 3000


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_atomic_file_interrupted_keeps_the_previous_file(tmp_path):
    out = tmp_path / "rows.jsonl"
    out.write_text('{"old": 1}\n', encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_file(out) as tmp:
            with tmp.open("w", encoding="utf-8") as fh:
                fh.write('{"new": 1}\n{"new"')
                raise RuntimeError("killed mid-write")
    assert out.read_text(encoding="utf-8") == '{"old": 1}\n'
    assert os.listdir(tmp_path) == ["rows.jsonl"]
    with atomic_file(out) as tmp:
        tmp.write_text('{"new": 1}\n', encoding="utf-8")
    assert out.read_text(encoding="utf-8") == '{"new": 1}\n' and os.listdir(tmp_path) == ["rows.jsonl"]


def test_reuse_outputs_interrupted_keep_the_previous_passages(tmp_path, monkeypatch):
    """The issue's case: a run dying while writing left a half passages.jsonl that looked whole."""
    from nlp.load import load_reports
    from nlp.reuse import output
    from nlp.reuse.detect import detect

    reports, _ = load_reports(sorted(SEEDS.glob("*.txt")))
    result = detect(reports, semantic=False)
    out = tmp_path / "reuse"
    result.write(out)
    before = snapshot(out)
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    # the frames and the viewer page, and the viewer's data beside it (one file per report)
    assert set(listed) - set(output.OUTPUT_FILES) == {
        f"viewer/{p.relative_to(out / 'viewer').as_posix()}" for p in (out / "viewer").rglob("*")
        if p.is_file()}
    assert set(output.OUTPUT_FILES) <= set(listed) and "viewer/docs/0.js" in listed

    def dies(*_):
        raise MemoryError("killed while writing the viewer")

    import nlp.report.viewer

    monkeypatch.setattr(nlp.report.viewer, "write_viewer", dies)  # passages.jsonl is written by then
    with pytest.raises(MemoryError):
        result.write(out)
    assert snapshot(out) == before
    assert os.listdir(tmp_path) == ["reuse"]  # no half-written sibling left either


def test_synth_killed_while_writing_leaves_the_previous_corpus(tmp_path):
    out = tmp_path / "synth"
    synthesize(20, out, seed=1)
    before = snapshot(out)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("govnlp")), "synth", str(KILL_N),
                             "-o", str(out), "--seed", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    written = 0
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            tmps = list(tmp_path.glob("synth.tmp-*/reports"))
            if tmps and (written := len(os.listdir(tmps[0]))) > 0:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        proc.kill()
        proc.wait()
    assert 0 < written < KILL_N, "the run was not caught while writing its reports"
    assert snapshot(out) == before  # the 20 old reports, manifest and truth, byte for byte
    [stray] = tmp_path.glob("synth.tmp-*")  # the killed run's partial folder, beside, not inside
    assert len(list((stray / "reports").iterdir())) < KILL_N and not (stray / MARKER).exists()


def test_synth_refuses_a_folder_of_other_files_and_keeps_them(tmp_path):
    out = tmp_path / "corpus"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "00001.txt").write_text("my own report", encoding="utf-8")
    result = runner.invoke(app, ["synth", "5", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"error {out} holds files govnlp did not write (no {MARKER}); give a new or empty folder"]
    assert snapshot(out) == {"reports/00001.txt": hashlib.sha1(b"my own report").hexdigest()}
    assert os.listdir(tmp_path) == ["corpus"]


def test_a_second_synth_replaces_its_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()  # an empty folder is fine
    synthesize(12, out, seed=1)
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    (out / "reports" / "mine.txt").write_text("my report", encoding="utf-8")
    (out / "extra").mkdir()
    second = synthesize(8, out, seed=3)
    files = snapshot(out)
    assert sorted(p for p in files if p.startswith("reports/0")) == [
        f"reports/{i:05d}.txt" for i in range(1, 9)]  # no stale 00009-00012 of the first run
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert (out / "reports" / "mine.txt").read_text(encoding="utf-8") == "my report"
    assert (out / "extra").is_dir()
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert "notes.md" not in listed and "reports/mine.txt" not in listed and len(listed) == 10
    fresh = tmp_path / "fresh"
    synthesize(8, fresh, seed=3)
    assert {k: v for k, v in files.items() if k in listed} == {
        k: v for k, v in snapshot(fresh).items() if k != MARKER}  # same bytes as a clean run
    assert second.reports == 8 and sorted(os.listdir(tmp_path)) == ["corpus", "fresh"]


def test_a_users_file_with_an_output_name_stops_the_swap(tmp_path):
    out = tmp_path / "out"
    with atomic_folder(out) as tmp:
        (tmp / "a.csv").write_text("ours 1", encoding="utf-8")
    (out / "b.csv").write_text("the user's", encoding="utf-8")
    with pytest.raises(OutputError, match="b.csv was not written by govnlp .* the new output is in"):
        with atomic_folder(out) as tmp:
            (tmp / "a.csv").write_text("ours 2", encoding="utf-8")
            (tmp / "b.csv").write_text("ours 2", encoding="utf-8")
    assert (out / "b.csv").read_text(encoding="utf-8") == "the user's"
    assert (out / "a.csv").read_text(encoding="utf-8") == "ours 1"
    [kept] = tmp_path.glob("out.tmp-*")  # the new output is not thrown away
    assert (kept / "a.csv").read_text(encoding="utf-8") == "ours 2"


def test_cli_reuse_refuses_a_foreign_folder_before_reading(tmp_path):
    (tmp_path / "thesis.docx").write_bytes(b"PK")
    result = runner.invoke(app, ["reuse", str(seed_path("000")), str(seed_path("002")),
                                 "-o", str(tmp_path), "--no-semantic"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"error {tmp_path} holds files govnlp did not write (no {MARKER}); give a new or empty folder"]
    assert os.listdir(tmp_path) == ["thesis.docx"]


def test_cli_reuse_twice_replaces_its_outputs(tmp_path):
    out = tmp_path / "reuse"
    args = ["reuse", str(seed_path("000")), str(seed_path("002")), "-o", str(out), "--no-semantic"]
    assert runner.invoke(app, args).exit_code == 0
    (out / "passages.jsonl").write_text("stale\n", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    first = (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["a_path"].endswith(".txt")
    assert sorted(os.listdir(out)) == sorted([MARKER, "families.jsonl", "leaks.jsonl",
                                              "passages.jsonl", "shares.jsonl", "viewer", "viewer.html"])


def test_cli_file_output_onto_a_folder_is_one_line(tmp_path):
    result = runner.invoke(app, ["segment", str(seed_path("000")), "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"error {tmp_path} is a folder; give a file name to write"]


def test_a_users_file_inside_an_output_subfolder_moves_alone(tmp_path):
    out = tmp_path / "out"
    for run in (1, 2):
        with atomic_folder(out) as tmp:
            (tmp / "reports" / "empty").mkdir(parents=True)  # folders govnlp made, no files listed
            (tmp / "reports" / "a.txt").write_text(f"run {run}", encoding="utf-8")
        if run == 1:
            (out / "reports" / "empty" / "mine.txt").write_text("mine", encoding="utf-8")
    assert snapshot(out) == {MARKER: snapshot(out)[MARKER],
                             "reports/a.txt": hashlib.sha1(b"run 2").hexdigest(),
                             "reports/empty/mine.txt": hashlib.sha1(b"mine").hexdigest()}
