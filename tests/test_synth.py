"""The synthetic reuse corpus: files, segmentation, exact truth offsets, copy kinds, leaks, seeds."""
import csv
import hashlib
import json
import re
from collections import Counter

import pytest
from rapidfuzz import fuzz

import nlp
from nlp.reuse.synth import KINDS, LEVEL_WORDS, SYNONYMS, read_truth, synthesize

N = 60
SECTIONS = ["preamble", "overview", "proactive", "requests", "review_litigation", "problems", "other",
            "closing"]
_LEVEL_WORD = re.compile("|".join(ws[0] for ws in LEVEL_WORDS.values()))  # 我镇 我街道 … 我局


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    result = synthesize(N, out, seed=7)
    with open(out / "manifest.csv", encoding="utf-8", newline="") as f:
        rows = {row["path"]: row for row in csv.DictReader(f)}
    texts = {p: (out / p).read_bytes().decode("utf-8") for p in rows}
    return result, out, rows, texts, read_truth(out)


def _short(office: str) -> str:
    return re.sub("(人民政府|办事处)$", "", office)


def _level_key(row: dict) -> str:
    if row["level"] != "部门":
        return row["level"]
    return row["office"][-1] if row["office"][-1] in "会室" else "局"  # 委员会 → 我委, 办公室 → 我办


def _own_level_word(row: dict) -> str:
    return LEVEL_WORDS[_level_key(row)][0]


def _masked(text: str, rows: list[dict]) -> str:
    """Office names, places, level words, 县/区/市/省 and numbers of either office → □."""
    words = {w for r in rows for w in (r["office"], _short(r["office"]), r["region"])}
    words |= {w for ws in LEVEL_WORDS.values() for w in ws}
    pattern = "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r"|[县区市省]|\d+"
    return re.sub(pattern, "□", text)


def _spans(t: dict, texts: dict) -> tuple[str, str]:
    a, b = t["a"], t["b"]
    return texts[a["path"]][a["start"]:a["end"]], texts[b["path"]][b["start"]:b["end"]]


def test_files_manifest_and_counts(corpus):
    result, out, rows, texts, truth = corpus
    assert result.reports == len(rows) == N and result.copies == len(truth) > N // 2
    assert sorted(p.name for p in (out / "reports").iterdir()) == [f"{i:05d}.txt" for i in range(1, N + 1)]
    assert list(next(iter(rows.values()))) == ["path", "office", "region", "level", "year"]
    assert {r["level"] for r in rows.values()} <= {"镇", "乡", "街道", "县", "区", "市", "部门"}
    assert sum(r["level"] in ("镇", "乡", "街道") for r in rows.values()) >= 0.4 * N  # ~3/4 on average
    assert len({r["year"] for r in rows.values()}) >= 4 and len({r["region"] for r in rows.values()}) >= 10
    assert set(result.kinds) == set(KINDS) and result.kinds == dict(Counter(t["kind"] for t in truth))
    assert result.leaks == sum(1 for t in truth if t["leak"]) > 0
    assert result.self_copies == sum(1 for t in truth if t["self_copy"]) > 0
    assert len({t["id"] for t in truth}) == len(truth)


def test_every_report_segments_and_its_metadata_agrees_with_the_manifest(corpus):
    _, out, rows, _, _ = corpus
    for path, row in rows.items():
        r = nlp.load_report(out / path)
        # invented places are not in the division list: only the identity warning may be raised
        assert [s.id for s in r.sections] == SECTIONS, path
        assert [w for w in r.warnings if not w.startswith("identity:")] == [], path
        assert (r.meta.office, r.meta.level, r.meta.region, str(r.meta.year)) == (
            row["office"], row["level"], row["region"], row["year"]), path
        assert len(r.section("overview").parts) == 5 and len(r.section("problems").items) >= 4, path


def test_truth_spans_are_whole_sentences_and_relate_as_their_kind_says(corpus):
    _, _, rows, texts, truth = corpus
    for t in truth:
        a, b = _spans(t, texts)
        ra, rb = rows[t["a"]["path"]], rows[t["b"]["path"]]
        assert t["a"]["path"] != t["b"]["path"] and int(ra["year"]) <= int(rb["year"])
        assert t["self_copy"] == (ra["office"] == rb["office"])
        if t["self_copy"]:
            assert int(rb["year"]) == int(ra["year"]) + 1
        for side, text in (("a", a), ("b", b)):
            full, start = texts[t[side]["path"]], t[side]["start"]
            assert text.endswith("。") and full[start - 1] in "。\n是", (t, side)
        if t["kind"] == "verbatim":
            assert a == b
        elif t["kind"] == "edited":
            assert a != b and fuzz.ratio(a, b) >= 85, t
        elif t["kind"] == "names_swapped":
            assert a != b and _masked(a, [ra, rb]) == _masked(b, [ra, rb]), t
        else:
            swapped = sum(b.count(v) - a.count(v) for v in SYNONYMS.values())
            assert a != b and fuzz.ratio(a, b) < 100 and swapped >= 2, t


def test_leaks_sit_in_the_copy_and_name_the_source(corpus):
    _, _, rows, texts, truth = corpus
    for t in (t for t in truth if t["leak"]):
        leak, ra, rb = t["leak"], rows[t["a"]["path"]], rows[t["b"]["path"]]
        start, end = leak["b_span"]
        assert t["b"]["start"] <= start < end <= t["b"]["end"]
        assert texts[t["b"]["path"]][start:end] == leak["text"] and ra["office"] != rb["office"]
        if leak["type"] == "other_office":
            assert leak["text"] in (ra["office"], _short(ra["office"]))
        else:
            assert leak["type"] == "wrong_level"
            assert leak["text"] in LEVEL_WORDS[_level_key(ra)]
            assert leak["text"] not in LEVEL_WORDS[_level_key(rb)]


def test_offices_speak_of_themselves_except_in_planted_leaks(corpus):
    _, _, rows, texts, truth = corpus
    leaks = [(t["b"]["path"], *t["leak"]["b_span"]) for t in truth if t["leak"]]

    def in_leak(path: str, m: re.Match) -> bool:
        return any(p == path and s <= m.start() and m.end() <= e for p, s, e in leaks)

    towns = {_short(r["office"]): r["office"] for r in rows.values() if r["level"] in ("镇", "乡", "街道")}
    for path, text in texts.items():
        own = _own_level_word(rows[path])
        for m in _LEVEL_WORD.finditer(text):
            assert m[0] == own or in_leak(path, m), (path, m[0])
        for name, office in towns.items():
            for m in re.finditer(re.escape(name), text):
                assert office == rows[path]["office"] or in_leak(path, m), (path, name)


def _digest(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        synthesize(30, tmp_path / name, seed=seed)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")


def test_one_county_corpus_plants_the_county_model(tmp_path):
    """``county_model``: one county's offices, its government first and every year from 2019, and
    a model paragraph the county writes and most offices copy (names and years aside)."""
    from nlp.reuse.synth import FIRST_YEAR, MODEL_FILE, read_model

    result = synthesize(80, tmp_path / "c", seed=5, county_model=0.8)
    with open(result.manifest, encoding="utf-8", newline="") as f:
        rows = {row["path"]: row for row in csv.DictReader(f)}
    county = [p for p, r in rows.items() if r["office"] == "丰河县人民政府"]
    assert county and all(r["region"] == "丰河县" for p, r in rows.items() if r["level"] in ("镇", "乡", "街道"))
    assert {int(rows[p]["year"]) for p in county} >= {FIRST_YEAR}
    model = read_model(result.outdir)
    assert model["region"] == "丰河县" and rows[model["source"]]["office"] == "丰河县人民政府"
    assert int(rows[model["source"]]["year"]) == FIRST_YEAR
    members = {m["path"]: m for m in model["members"]}
    assert set(county) <= set(members)
    offices = {rows[p]["office"] for p in rows}
    takers = {rows[p]["office"] for p in members}
    assert 0.6 * len(offices) <= len(takers) < len(offices)
    # each office copies it in all its years or in none
    assert all(rows[p]["office"] not in takers for p in rows if p not in members)
    # the same paragraph in every member once digits and 我X/全X are masked
    def masked(path):
        m = members[path]
        text = (result.outdir / path).read_text(encoding="utf-8")[m["start"]:m["end"]]
        return re.sub(r"\d+|[我全](?:镇|乡|街道|县|局|委|办)|(?:镇|乡|街道|县)(?:党委|党工委)", "#", text)
    texts = {masked(p) for p in members}
    assert len(texts) <= 4 and min(len(t) for t in texts) > 60
    # a corpus without the option has no model file
    synthesize(20, tmp_path / "plain", seed=5)
    assert read_model(tmp_path / "plain") is None and not (tmp_path / "plain" / MODEL_FILE).exists()


def test_cli_synth_plants_a_county_model(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    out = tmp_path / "county"
    done = CliRunner().invoke(app, ["synth", "40", "-o", str(out), "--county-model", "0.8"])
    assert done.exit_code == 0, done.output
    model = json.loads((out / "model.jsonl").read_text(encoding="utf-8"))
    assert model["region"] == "丰河县" and len(model["members"]) >= 10  # most of its offices
    bad = CliRunner().invoke(app, ["synth", "40", "-o", str(out), "--county-model", "2"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
