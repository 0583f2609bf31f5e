"""nlp.offices: a corpus read a batch of whole offices at a time (issue 15, bounded memory)."""
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED_REPORTS
from nlp.corpus import Corpus
from nlp.offices import OfficeBatches, pack_offices
from nlp.tables.checks import office_identity, previous_reports

SOURCES = [SHARED_REPORTS, SEEDS]


@pytest.fixture(scope="module")
def real():
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    return Corpus(SOURCES, progress=False)


def test_pack_offices_never_splits_an_office():
    groups = [[1, 2], [3], [4, 5, 6, 7], [8], [9, 10]]
    assert pack_offices(groups, 3) == [[1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]


def test_every_report_once_and_offices_whole(real):
    batches = OfficeBatches(SOURCES, size=4, progress=False)
    read = [list(b) for b in batches]
    paths = [r.path for b in read for r in b]
    assert sorted(paths) == sorted(r.path for r in real) and len(set(paths)) == len(paths)
    assert len(read) > 3  # small batches: several of them
    where = {}
    for k, batch in enumerate(read):
        for r in batch:
            where.setdefault(office_identity(r), set()).add(k)
    assert all(len(ks) == 1 for ks in where.values())  # no office split across batches
    # the ten 平潭 years (2014–2025) are one office: one batch larger than size, in year order
    pingtan = next(b for b in read if len(b) == 10)
    assert [r.meta.year for r in pingtan] == sorted(r.meta.year for r in pingtan)
    assert {office_identity(r) for r in pingtan} == {"平潭综合实验区"}
    assert all(len(b) <= 4 for b in read if b is not pingtan)


def test_checks_pair_the_same_years_per_batch_as_over_the_corpus(real):
    """Checks compare a report with its office's year − 1: a batch of whole offices finds the
    same previous reports as the whole corpus."""
    whole = {r.path: (p.path if p else None) for r, p in zip(real, previous_reports(real.reports))}
    batched = {}
    for batch in OfficeBatches(SOURCES, size=3, progress=False):
        batched.update({r.path: (p.path if p else None)
                        for r, p in zip(batch, previous_reports(batch))})
    assert batched == whole
    assert sum(v is not None for v in whole.values()) >= 5  # 平潭 2014→2015… and 洪泽 2023→2024


def test_workers_read_the_same_batches(real):
    one = [[r.path for r in b] for b in OfficeBatches(SOURCES, size=5, progress=False)]
    two = [[r.path for r in b] for b in OfficeBatches(SOURCES, size=5, workers=2, progress=False)]
    assert one == two


def test_manifest_years_group_one_office(tmp_path: Path):
    """Two files of one office (the same seed, saved twice) with their years from the manifest
    are one batch even at size 1, in the manifest's year order; a file that is not a report is
    skipped with its reason, a manifest row without a file is a warning."""
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "a.txt").write_text(seed + "\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("path,year\na.txt,2022\nb.txt,2021\ngone.txt,2021\n",
                                           encoding="utf-8")
    with pytest.warns(UserWarning, match="gone.txt does not exist"):
        batches = OfficeBatches(tmp_path, manifest=tmp_path / "manifest.csv", size=1,
                                progress=False)
    assert [Path(e.path).name for e in batches.skipped] == ["notes.txt"]
    read = list(batches)
    assert len(read) == 1
    assert [(Path(r.path).name, r.meta.year) for r in read[0]] == [("b.txt", 2021), ("a.txt", 2022)]
    assert previous_reports(read[0])[1] is read[0][0]  # 2022 is checked against 2021
