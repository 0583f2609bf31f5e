"""An embedded DuckDB index of a corpus: reports, masked sentences, LSH band keys and matches.

``build`` indexes a corpus once; ``add`` indexes new reports and matches only them against
what is stored (nothing else is recomputed); ``query`` answers "what in this report was copied,
and from whom" from the index alone, by joining the report's band keys with the stored ones.
"""
from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd
from datasketch import MinHashLSH

from nlp.model import Report
from nlp.reuse.align import match_similarity
from nlp.reuse.candidates import MIN_CHARS, NUM_PERM, ReuseDoc, signatures
from nlp.reuse.families import source_doc
from nlp.reuse.mask import mask, own_names

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, path VARCHAR, office VARCHAR,
    office_short VARCHAR, level VARCHAR, region VARCHAR, year INTEGER, text VARCHAR);
CREATE TABLE IF NOT EXISTS sentences (id BIGINT PRIMARY KEY, report INTEGER, section VARCHAR,
    start_ INTEGER, end_ INTEGER, masked VARCHAR);
CREATE TABLE IF NOT EXISTS bands (sentence BIGINT, band SMALLINT, key BIGINT);
CREATE TABLE IF NOT EXISTS matches (a BIGINT, b BIGINT, similarity DOUBLE);
"""


def _band_params(threshold: float = 0.5) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _band_keys(hashvalues, b: int, r: int) -> list[int]:
    return [struct.unpack("<q", hashlib.blake2b(hashvalues[k * r:(k + 1) * r].tobytes(),
                                                digest_size=8).digest())[0] for k in range(b)]


class ReuseIndex:
    """A DuckDB file holding a corpus's reuse index."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.con = duckdb.connect(str(self.path))
        self.con.execute(_SCHEMA)
        self.b, self.r = _band_params()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "ReuseIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------
    def _sentences(self, report: Report) -> list[tuple[str, int, int, str]]:
        names = own_names(report.meta.office, report.meta.office_short)
        out = []
        for sec, sent in report.iter_sentences(("text",)):
            masked = mask(report.text[sent.start:sent.end], names)
            if len(masked) >= MIN_CHARS:
                out.append((sec.id, sent.start, sent.end, masked))
        return out

    def add(self, reports: Iterable[Report]) -> int:
        """Index new reports and store their matches with everything already indexed."""
        reports = [r for r in reports if not self._has(r.path)]
        if not reports:
            return 0
        rid = self.con.execute("SELECT coalesce(max(id), -1) + 1 FROM reports").fetchall()[0][0]
        sid = self.con.execute("SELECT coalesce(max(id), -1) + 1 FROM sentences").fetchall()[0][0]
        first_new = sid
        rep_rows, sent_rows, band_rows = [], [], []
        for report in reports:
            m = report.meta
            rep_rows.append((rid, report.path, m.office, m.office_short or m.office, m.level,
                             m.region, m.year, report.text))
            sents = self._sentences(report)
            for (section, start, end, masked), sig in zip(sents, signatures([s[3] for s in sents])):
                sent_rows.append((sid, rid, section, start, end, masked))
                band_rows.extend((sid, k, key) for k, key in
                                 enumerate(_band_keys(sig.hashvalues, self.b, self.r)))
                sid += 1
            rid += 1
        self.con.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rep_rows)
        if sent_rows:
            sent_df = pd.DataFrame(sent_rows, columns=["id", "report", "section", "start_", "end_", "masked"])
            band_df = pd.DataFrame(band_rows, columns=["sentence", "band", "key"])
            self.con.register("sent_df", sent_df)
            self.con.register("band_df", band_df)
            self.con.execute("INSERT INTO sentences SELECT * FROM sent_df")
            self.con.execute("INSERT INTO bands SELECT * FROM band_df")
            self.con.unregister("sent_df")
            self.con.unregister("band_df")
            self._match_new(first_new)
        return len(reports)

    def _has(self, path: str | None) -> bool:
        return bool(self.con.execute("SELECT count(*) FROM reports WHERE path = ?", [path]).fetchall()[0][0])

    def _match_new(self, first_new: int) -> None:
        """Verify every band collision that involves a sentence indexed in this call."""
        pairs = self.con.execute("""
            SELECT DISTINCT x.sentence, y.sentence, sx.masked, sy.masked
            FROM bands x JOIN bands y ON x.band = y.band AND x.key = y.key AND x.sentence < y.sentence
            JOIN sentences sx ON sx.id = x.sentence JOIN sentences sy ON sy.id = y.sentence
            WHERE y.sentence >= ? AND sx.report <> sy.report""", [first_new]).fetchall()
        rows = [(a, b, s) for a, b, x, y in pairs if (s := match_similarity(x, y)) is not None]
        if rows:
            self.con.executemany("INSERT INTO matches VALUES (?, ?, ?)", rows)

    # -- reading ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("reports", "sentences", "bands", "matches")}

    def query(self, report: Report) -> pd.DataFrame:
        """Sentences of ``report`` found in the index: where else they stand, and who wrote first."""
        sents = self._sentences(report)
        if not sents:
            return pd.DataFrame()
        sigs = signatures([s[3] for s in sents])
        probe = pd.DataFrame([(k, band, key) for k, sig in enumerate(sigs)
                              for band, key in enumerate(_band_keys(sig.hashvalues, self.b, self.r))],
                             columns=["q", "band", "key"])
        self.con.register("probe", probe)
        hits = self.con.execute("""
            SELECT DISTINCT p.q, s.id, s.masked, s.start_, s.end_, r.path, r.office, r.office_short,
                   r.level, r.region, r.year, substr(r.text, s.start_ + 1, s.end_ - s.start_) AS text
            FROM probe p JOIN bands b ON b.band = p.band AND b.key = p.key
            JOIN sentences s ON s.id = b.sentence JOIN reports r ON r.id = s.report
            WHERE r.path IS DISTINCT FROM ?""", [report.path]).fetchall()
        self.con.unregister("probe")
        me = ReuseDoc(-1, report.path or "", report.meta.office, report.meta.office_short,
                      report.meta.level, report.meta.region, report.meta.year, report.text)
        rows = []
        for q, _, masked, start, end, path, office, short, level, region, year, text in hits:
            sim = match_similarity(sents[q][3], masked)
            if sim is None:
                continue
            other = ReuseDoc(0, path, office, short, level, region, year, "")
            rows.append({"section": sents[q][0], "start": sents[q][1], "end": sents[q][2],
                         "text": report.text[sents[q][1]:sents[q][2]], "similarity": sim,
                         "other_path": path, "other_office": office, "other_year": year,
                         "other_start": start, "other_end": end, "other_text": text,
                         "same_office": bool(short) and short == (report.meta.office_short or report.meta.office),
                         "other_wrote_first": source_doc([me, other]) is other})
        return pd.DataFrame(rows).sort_values(["start", "similarity"], ascending=[True, False]) \
            if rows else pd.DataFrame()
