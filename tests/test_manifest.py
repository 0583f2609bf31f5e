"""Manifests: exact paths before bare names, years and levels as people type them, bad ones in
one line before anything is read, rows for missing files warned about."""
import shutil
import warnings

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import seed_path
from nlp.corpus import Corpus, ManifestError, ManifestWarning, apply_manifest, read_manifest
from nlp.load import load_report

runner = CliRunner()
HEADER = "path,office,region,level,year\n"


@pytest.fixture
def by_year(tmp_path):
    """Two real reports filed as 2020/report.txt (董家镇, 2020) and 2021/report.txt (杜市镇, 2021)."""
    for year, seed in (("2020", "002"), ("2021", "000")):
        (tmp_path / year).mkdir()
        shutil.copy(seed_path(seed), tmp_path / year / "report.txt")
    return tmp_path


def _manifest(folder, text, name="manifest.csv"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_missing_from_the_manifest_keeps_its_own_office_and_year(by_year):
    # only the 2020 folder is listed; 2021/report.txt has the same bare name but is another file
    m = _manifest(by_year, HEADER + "2020/report.txt,董家镇人民政府(清单),丰城市,镇,2020\n")
    corpus = Corpus(by_year, manifest=m, progress=False)
    meta = {r.path.split("/")[-2]: r.meta for r in corpus}
    assert (meta["2020"].office, meta["2020"].year) == ("董家镇人民政府(清单)", 2020)
    assert (meta["2021"].office, meta["2021"].year) == ("杜市镇人民政府", 2021)  # inferred, untouched


def test_exact_path_wins_over_a_bare_name(by_year):
    m = _manifest(by_year, HEADER + "2021/report.txt,杜市镇(按路径),丰城市,镇,2021\n"
                  "2020/report.txt,董家镇(按路径),丰城市,镇,2020\n")
    corpus = Corpus(by_year, manifest=m, progress=False)
    assert sorted(r.meta.office for r in corpus) == ["杜市镇(按路径)", "董家镇(按路径)"]


def test_a_bare_name_serves_a_report_elsewhere_only_when_unique(by_year, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("manifests")
    unique = read_manifest(_manifest(elsewhere, HEADER + "report.txt,某某镇人民政府,某县,镇,2019\n"))
    report = load_report(by_year / "2021" / "report.txt")
    assert apply_manifest([report], unique) == []
    assert (report.meta.office, report.meta.year) == ("某某镇人民政府", 2019)

    twice = read_manifest(_manifest(elsewhere, HEADER + "report.txt,甲镇人民政府,某县,镇,2019\n"
                                    "old/report.txt,乙镇人民政府,某县,镇,2018\n", "twice.csv"))
    with pytest.raises(ManifestError, match=r"report\.txt is on 2 rows \(lines 2, 3\)"):
        apply_manifest([load_report(by_year / "2021" / "report.txt")], twice)


@pytest.mark.parametrize("cell", ["2021", "2021年", "2021.0", " 2021 ", "２０２１"])
def test_year_as_typed_reads_as_a_number(tmp_path, cell):
    m = read_manifest(_manifest(tmp_path, HEADER + f"a.txt,甲镇人民政府,某县,镇,{cell}\n"))
    assert m.row_for(tmp_path / "a.txt")["year"] == 2021


def test_department_is_read_as_the_level_word(tmp_path):
    m = read_manifest(_manifest(tmp_path, "file,office,level\na.txt,某市教育局,Department\n"))
    row = m.row_for(tmp_path / "a.txt")
    assert row == {"office": "某市教育局", "region": None, "level": "部门", "year": None}


@pytest.mark.parametrize("text, message", [
    ("name,office,year\na.txt,甲镇人民政府,2021\n", "no path (or file) column in the header name,office,year"),
    ("", "no path (or file) column in the header (empty file)"),
    (HEADER + "a.txt,甲镇人民政府,某县,镇,去年\n", "line 2: year '去年' is not a year like 2021"),
    (HEADER + "a.txt,甲镇人民政府,某县,镇,21\n", "line 2: year '21' is not a year like 2021"),
    (HEADER + "a.txt,甲镇人民政府,某县,city,2021\n", "line 2: level 'city' is not one of 省 市 区 县 镇 乡 街道 部门"),
    (HEADER + "a.txt,甲镇,某县,镇,2021\n,乙镇,某县,镇,2021\n", "line 3: empty path"),
    (HEADER + "a.txt,甲镇,某县,镇,2021\n./a.txt,乙镇,某县,镇,2021\n",
     "line 3: ./a.txt is already listed on line 2 with other values"),
])
def test_a_malformed_manifest_is_one_line_naming_file_and_line(tmp_path, text, message):
    path = _manifest(tmp_path, text)
    with pytest.raises(ManifestError) as e:
        read_manifest(path)
    assert str(e.value) == f"{path}: {message}" or str(e.value) == f"{path}, {message}"
    assert "\n" not in str(e.value)


def test_an_unreadable_manifest_is_one_line(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(("路径,单位\n" + "a.txt,甲镇\n").encode("gbk"))
    for path, reason in ((tmp_path / "none.csv", "No such file or directory"),
                         (tmp_path, "Is a directory"),
                         (gbk, "not UTF-8 text; save it as CSV UTF-8")):
        with pytest.raises(ManifestError, match="^" + str(path) + r": cannot read the manifest \("
                           + reason):
            read_manifest(path)


def test_identical_duplicate_rows_are_fine(tmp_path):
    row = "a.txt,甲镇人民政府,某县,镇,2021\n"
    assert len(read_manifest(_manifest(tmp_path, HEADER + row + row)).rows) == 1


def test_a_row_whose_file_does_not_exist_is_a_warning(by_year):
    m = _manifest(by_year, HEADER + "2020/report.txt,董家镇人民政府,丰城市,镇,2020\n"
                  "2022/report.txt,董家镇人民政府,丰城市,镇,2022\n")
    with pytest.warns(ManifestWarning) as caught:
        corpus = Corpus(by_year, manifest=m, progress=False)
    assert len(corpus) == 2
    [w] = caught
    assert str(w.message) == (f"{m}, line 3: report.txt does not exist "
                              f"({(by_year / '2022' / 'report.txt').resolve()})")


def test_rows_matched_by_a_report_are_not_warned_about(by_year):
    m = _manifest(by_year, HEADER + "2020/report.txt,董家镇人民政府,丰城市,镇,2020\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Corpus(by_year, manifest=m, progress=False)


def test_cli_bad_manifest_is_one_line_exit_2_before_reading(by_year, tmp_path_factory):
    bad = _manifest(tmp_path_factory.mktemp("m"), HEADER + "2020/report.txt,董家镇,丰城市,town,2020\n")
    out = tmp_path_factory.mktemp("o") / "reuse"
    for args in (["reuse", str(by_year), "-o", str(out), "--no-semantic"],
                 ["index", "build", str(by_year), "-o", str(out.with_suffix(".duckdb"))]):
        result = runner.invoke(app, args + ["--manifest", str(bad)])
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().splitlines() == [
            f"error {bad}, line 2: level 'town' is not one of 省 市 区 县 镇 乡 街道 部门"]
        assert "Reading reports" not in result.output and "Traceback" not in result.output
    assert not out.exists() and not out.with_suffix(".duckdb").exists()


def test_cli_warns_about_a_missing_file_and_goes_on(by_year, tmp_path_factory):
    m = _manifest(by_year, HEADER + "2020/report.txt,董家镇人民政府,丰城市,镇,2020\n"
                  "2019/report.txt,董家镇人民政府,丰城市,镇,2019\n")
    out = tmp_path_factory.mktemp("o") / "reuse"
    result = runner.invoke(app, ["reuse", str(by_year), "-o", str(out), "--no-semantic",
                                 "--manifest", str(m)])
    assert result.exit_code == 0, result.output
    warned = [l for l in result.stderr.splitlines() if l.startswith("warning")]
    assert warned == [f"warning {m}, line 3: report.txt does not exist "
                      f"({(by_year / '2019' / 'report.txt').resolve()})"]
    assert (out / "passages.jsonl").is_file()


def test_a_row_naming_another_office_replaces_the_texts_division(tmp_path):
    """杜关镇's report (卢氏县, 411224101) filed by the manifest under 杜市镇 of 丰城市: it takes
    杜市镇's code and names, so it and 杜市镇's own report are one office, in the corpus and in
    the streaming reader; an office the division list lacks keeps no code at all."""
    from nlp.offices import OfficeBatches
    from nlp.tables.checks import office_identity

    for year, seed in (("2020", "003"), ("2021", "000")):
        (tmp_path / year).mkdir()
        shutil.copy(seed_path(seed), tmp_path / year / "report.txt")
    plain = {r.path.split("/")[-2]: r.meta for r in Corpus(tmp_path, progress=False)}
    assert (plain["2020"].division_code, plain["2021"].division_code) == ("411224101", "360981120")
    m = _manifest(tmp_path, HEADER + "2020/report.txt,杜市镇人民政府,丰城市,,2020\n")
    corpus = Corpus(tmp_path, manifest=m, progress=False)
    meta = {r.path.split("/")[-2]: r.meta for r in corpus}
    assert (meta["2020"].division_code, meta["2020"].county, meta["2020"].township,
            meta["2020"].office_short) == ("360981120", "丰城市", "杜市镇", "杜市镇")
    assert len({office_identity(r) for r in corpus}) == 1
    assert [len(b) for b in OfficeBatches(tmp_path, manifest=m, size=1).batches()] == [2]

    m = _manifest(tmp_path, HEADER + "2020/report.txt,无此镇人民政府,,,2020\n")
    corpus = Corpus(tmp_path, manifest=m, progress=False)
    meta = {r.path.split("/")[-2]: r.meta for r in corpus}
    assert (meta["2020"].division_code, meta["2020"].township) == (None, None)
    assert {office_identity(r) for r in corpus} == {"无此镇", "360981120"}
