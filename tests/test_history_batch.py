"""Batched statement classification (``StatementClassifier.classify_reports``), which
``history()`` and the study's statements frame use: the same rows as one call per report.

Why a test: batching is only a speed-up if no unit is scored differently for sharing a call
with other reports' units (the sklearn model scores each row alone; this pins it).
"""
import pytest

import nlp
from conftest import SEEDS, SHARED_REPORTS
from nlp.classify import StatementClassifier


def real_reports():
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    reports, _ = nlp.load_reports(SHARED_REPORTS)
    seeds, _ = nlp.load_reports(SEEDS)
    return reports + seeds


@pytest.fixture(scope="module")
def clf():
    return StatementClassifier.load()


@pytest.mark.parametrize("batch", [1, 7, 4096, 1024])
def test_batched_rows_equal_per_report_rows(clf, batch):
    reports = real_reports()
    one_by_one = [clf.classify_report(r, ("problems",)) for r in reports]
    batched = list(clf.classify_reports(reports, ("problems",), batch_units=batch))
    assert [r for r, _ in batched] == reports  # in order, each report once
    assert [rows for _, rows in batched] == one_by_one
    # real section-五 statements were scored, some of them problems (not a vacuous equality)
    labels = [set(row["labels"]) for rows in one_by_one for row in rows]
    assert len(labels) > 100 and sum("problem" in l for l in labels) > 20


def test_batched_every_section(clf):
    reports = real_reports()[:5]
    batched = [rows for _, rows in clf.classify_reports(reports, None, batch_units=50)]
    assert batched == [clf.classify_report(r, None) for r in reports]
    assert {row["section"] for rows in batched for row in rows} - {"problems"}


def test_reports_without_units(clf):
    """A batch where no report has a unit of the section asked for: every report, no rows."""
    reports = nlp.load_reports(SEEDS)[0]
    out = list(clf.classify_reports(reports, ("no_such_section",)))
    assert [r for r, _ in out] == reports and all(rows == [] for _, rows in out)
