"""Reuse detection on a dask.distributed LocalCluster gives the same passages as locally."""
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS
from nlp.reuse.detect import detect

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def key(frame):
    return sorted(zip(frame["a_path"].map(lambda p: p.rsplit("/", 1)[-1]), frame["a_start"],
                      frame["b_path"].map(lambda p: p.rsplit("/", 1)[-1]), frame["b_start"],
                      frame["layer"]))


def test_cluster_run_equals_local_run(cluster, tmp_path):
    from nlp.reuse.distributed import client_mapper, load_on_cluster

    (tmp_path / "empty.txt").write_text("")
    with distributed.Client(cluster) as client:
        reports, skipped = load_on_cluster(client, [SEEDS, tmp_path / "empty.txt"])
        remote = detect(reports, mapper=client_mapper(client))
    # every path not read is accounted for: the manifest beside the seeds and the empty file
    assert len(reports) == 5
    assert sorted((Path(e.path).name, e.reason) for e in skipped) == [
        ("empty.txt", "empty file"), ("manifest.csv", "not a report format (.csv)")]
    local = detect(nlp.corpora.load("seeds").reports)
    assert key(remote.passages_frame()) == key(local.passages_frame())
    assert len(remote.leaks) == 2


def test_cli_scheduler_option(cluster, tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    result = CliRunner().invoke(app, ["reuse", str(SEEDS), "-o", str(out), "--scheduler",
                                      cluster.scheduler_address, "--workdir", str(work)])
    assert result.exit_code == 0, result.output
    assert "cross_office 2" in result.stdout and (out / "viewer.html").is_file()
    assert (work / "shards.json").is_file()  # the workers wrote the shards there


def test_streaming_cluster_run_equals_local_streaming_run(cluster, tmp_path, tmp_path_factory):
    """Two worker processes write the shards and verify; the client bands: same result."""
    from nlp.corpus import read_manifest
    from nlp.reuse.distributed import client_mapper, detect_on_cluster
    from nlp.reuse.shards import write_shards
    from nlp.reuse.stream import detect_stream
    from nlp.reuse.synth import synthesize

    synth = synthesize(300, tmp_path_factory.mktemp("synth") / "c", seed=1)
    manifest = read_manifest(synth.manifest)
    inputs = [synth.outdir / "reports", SEEDS]
    with distributed.Client(cluster) as client:
        shards = write_shards(inputs, tmp_path / "cluster", client_mapper(client), manifest,
                              shard_reports=64)
        remote = detect_on_cluster(client, shards, tmp_path / "cluster")
    local = detect_stream(inputs, tmp_path / "local", manifest=manifest)
    assert len(shards.counts) == 5 and sum(shards.counts) == 305  # written by the workers
    for frame in ("passages_frame", "families_frame", "reports_frame", "leaks_frame"):
        a, b = getattr(local, frame)(), getattr(remote, frame)()
        assert len(a) > 0
        assert a.equals(b), frame
    assert (remote.passages_frame()["layer"] == "cross_office").sum() > 30
    assert sorted(e.reason for e in remote.skipped) == ["not a report format (.csv)"]
