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
