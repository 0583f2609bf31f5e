import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
SHARED = ROOT.parent / "shared" / "corpora"
SHARED_REPORTS = SHARED / "reports"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def shared_path(name: str) -> Path:
    path = SHARED_REPORTS / f"{name}.txt"
    if not path.is_file():
        pytest.skip("../shared/corpora is not present")
    return path


@pytest.fixture(scope="module")
def real_corpus():
    """The 15 shared real reports and the 5 seeds: (paths, Reports) in path order."""
    from nlp.load import load_reports

    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    paths = [str(p) for p in sorted(SHARED_REPORTS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))]
    reports, unread = load_reports(paths)
    assert not unread and len(reports) == len(paths) >= 20
    return paths, reports


@pytest.fixture(scope="module")
def synth_corpus(tmp_path_factory):
    """14 generated reports (``govnlp synth 14 --seed 0``): (paths, Reports) in path order."""
    from nlp.load import load_reports
    from nlp.reuse.synth import synthesize

    out = tmp_path_factory.mktemp("synth") / "corpus"
    synthesize(14, out, seed=0)
    paths = [str(p) for p in sorted((out / "reports").iterdir())]
    reports, unread = load_reports(paths)
    assert not unread and len(reports) == 14
    return paths, reports
