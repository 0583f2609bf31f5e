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
    result = CliRunner().invoke(app, ["reuse", str(SEEDS), "-o", str(tmp_path), "--scheduler",
                                      cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert "cross_office 2" in result.stdout and (tmp_path / "viewer.html").is_file()
