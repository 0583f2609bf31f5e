"""Every file accounted for: a folder's files are read or listed as skipped with a reason, and
no odd path (broken link, link loop, FIFO, unlistable folder) stops the batch."""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path

import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS
from nlp.ingest.readers import IngestError, expand_paths, read_file

SEED = next((Path(__file__).parents[1] / "corpora" / "seeds").glob("000_*.txt"))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE compound file's first block
LEGACY = "legacy Word/WPS file: convert it to .docx (e.g. libreoffice --headless --convert-to docx FILE)"
runner = CliRunner()


def reasons(skipped, root: Path) -> dict[str, str]:
    return {str(Path(e.path).relative_to(root)): e.reason for e in skipped}


@pytest.fixture
def crawl(tmp_path) -> Path:
    """A crawl folder the way they come: reports, attachments, junk and odd links."""
    root = tmp_path / "crawl"
    (root / "town").mkdir(parents=True)
    (root / "town" / "report.txt").write_bytes(SEED.read_bytes())
    (root / "town" / "old.doc").write_bytes(OLE)
    (root / "town" / "wps.wps").write_bytes(OLE)
    (root / "town" / "table.xls").write_bytes(OLE)
    (root / "town" / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (root / "town" / "files.zip").write_bytes(b"PK\x03\x04" + bytes(100))
    (root / "town" / "README").write_text("notes", encoding="utf-8")
    (root / "town" / "~$report.docx").write_bytes(b"lock")
    (root / "town" / ".draft.txt").write_text("draft", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    (root / "empty").mkdir()  # nothing in it to account for: not listed (a named empty folder is)
    (root / "dead.txt").symlink_to(root / "gone.txt")  # broken link
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")  # a -> b -> a
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "town" / "up").symlink_to(root)  # a folder link back to the top
    os.mkfifo(root / "pipe.txt")  # would block a reader forever
    return root


def test_every_file_accounted_for(crawl):
    result = expand_paths([crawl])
    assert result == [crawl / "town" / "report.txt"]
    assert reasons(result.skipped, crawl) == {
        ".git": "hidden folder, not searched",
        "dead.txt": "broken symbolic link (its target is missing)",
        "loop_a.txt": "symbolic link loop",
        "loop_b.txt": "symbolic link loop",
        "pipe.txt": "not a regular file (a FIFO)",
        "town/.draft.txt": "hidden file, not read",
        "town/README": "not a report format (no suffix)",
        "town/files.zip": "not a report format (.zip)",
        "town/old.doc": LEGACY,
        "town/scan.jpg": "not a report format (.jpg)",
        "town/table.xls": "not a report format (.xls)",
        "town/up": "symbolic link to a folder already searched (a loop?)",
        "town/wps.wps": LEGACY,
        "town/~$report.docx": "Word lock file (~$), not a report",
    }
    assert all("\n" not in str(e) for e in result.skipped)


def test_load_reports_returns_them_as_skipped(crawl):
    reports, skipped = nlp.load_reports(crawl)
    assert [r.name for r in reports] == ["report.txt"]
    assert len(skipped) == 14 and all(isinstance(e, IngestError) for e in skipped)


def test_empty_folder(tmp_path):
    result = expand_paths([tmp_path])
    assert result == []
    assert [str(e) for e in result.skipped] == [f"{tmp_path}: no report files in this folder"]


def test_unlistable_subfolder(tmp_path, monkeypatch):
    # root may list any folder, so the refusal is simulated where the walk asks for the listing
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "report.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = expand_paths([tmp_path])
    assert result == [tmp_path / "a" / "report.txt"]
    assert [str(e) for e in result.skipped] == [f"{tmp_path / 'locked'}: folder not searched: permission denied"]


def test_unlistable_subfolder_chmod():
    """A real chmod 000 folder, read by an unprivileged process (root reads any folder, so as
    root the walk runs as nobody)."""
    import subprocess
    import sys
    import tempfile

    root = Path(tempfile.mkdtemp())
    try:
        root.chmod(0o755)
        (root / "locked").mkdir()
        (root / "locked").chmod(0)
        # import first: the interpreter's own files may be out of nobody's reach
        code = ("import os, sys\n"
                "from nlp.ingest.readers import expand_paths\n"
                "if os.geteuid() == 0: os.setgid(65534); os.setuid(65534)\n"
                "print('|'.join(e.reason for e in expand_paths([sys.argv[1]]).skipped))")
        out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True,
                             cwd=Path(__file__).parents[1], check=True).stdout.strip()
        assert out.split("|") == ["folder not searched: permission denied", "no report files in this folder"]
    finally:
        (root / "locked").chmod(0o755)
        (root / "locked").rmdir()
        root.rmdir()


def test_named_paths_never_abort(crawl, tmp_path):
    named = [crawl / "pipe.txt", crawl / "loop_a.txt", crawl / "dead.txt", tmp_path / "missing.txt",
             "a\x00b.txt", crawl / "town" / "report.txt", str(tmp_path / "*.nothing")]
    result = expand_paths(named)
    assert result == [crawl / "town" / "report.txt"]
    assert [e.reason for e in result.skipped] == [
        "not a regular file (a FIFO)", "symbolic link loop", "broken symbolic link (its target is missing)",
        "no such file", "invalid file name (contains a NUL byte)", "no file matches this pattern"]


@pytest.mark.parametrize("name, data, reason", [
    ("old.doc", OLE, LEGACY),
    ("old.wps", OLE, LEGACY),
    ("noext", OLE, LEGACY),  # sniffed
    ("sheet.xls", OLE, "not a report format (.xls)"),
    ("pipe", None, "not a regular file (a FIFO)"),
])
def test_read_file_refuses_in_one_line(tmp_path, name, data, reason):
    path = tmp_path / name
    if data is None:
        os.mkfifo(path)
    else:
        path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert str(info.value) == f"{path}: {reason}"


# --------------------------------------------------------------------------- rtf

def rtf(lines_and_rows) -> bytes:
    """An RTF file as WPS/Word write them: GBK code page, Chinese as \\'xx escapes."""
    def esc(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else "".join(f"\\'{b:02x}" for b in ch.encode("gbk")) for ch in text)

    body = []
    for item in lines_and_rows:
        if isinstance(item, str):
            body.append(esc(item) + "\\par\n")
        else:
            cells = "".join(f"\\cellx{1500 * (k + 1)}" for k in range(len(item)))
            body.append("\\trowd" + cells + " " + "".join(esc(c) + "\\cell " for c in item) + "\\row\n")
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\n"
            + "".join(body) + "}").encode("ascii")


def test_rtf_report(tmp_path):
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    narrative = [line for line in lines if "\t" not in line][:12]
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "", "0"]]
    path = tmp_path / "report.rtf"
    path.write_bytes(rtf(narrative + rows))
    doc = read_file(path)
    assert doc.format == "rtf"
    assert doc.text.split("\n") == narrative + ["\t".join(r) for r in rows]  # the empty cell stays


def test_rtf_is_read_in_folders(tmp_path):
    (tmp_path / "report.rtf").write_bytes(rtf([line for line in SEED.read_text(encoding="utf-8").splitlines()
                                               if line.strip() and "\t" not in line]))
    reports, skipped = nlp.load_reports(tmp_path)
    assert [r.format for r in reports] == ["rtf"] and skipped == []
    overview = reports[0].section("overview")
    assert reports[0].text[overview.start:overview.heading_end] == "一、总体情况"


def test_broken_rtf(tmp_path):
    path = tmp_path / "bad.rtf"
    path.write_bytes(b"not rtf at all")
    with pytest.raises(IngestError, match="unreadable RTF"):
        read_file(path)


# --------------------------------------------------------------------------- CLI

def test_cli_lists_every_skipped_path_and_goes_on(crawl):
    result = runner.invoke(app, ["segment", str(crawl), str(crawl / "pipe.txt")])
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "1 report(s) read, 14 skipped" in err
    for name in ("old.doc", "table.xls", "pipe.txt", "loop_a.txt", "dead.txt", "~$report.docx", ".git"):
        assert name in err
    assert "Traceback" not in err


def test_cli_empty_folder_exits_1(tmp_path):
    result = runner.invoke(app, ["segment", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}: no report files in this folder" in result.stderr
    assert "0 report(s) read, 1 skipped" in result.stderr


def test_govnlp_output_marker_is_not_a_skipped_file(tmp_path):
    """A synth or reuse output folder read back as a corpus: its reports are read, the marker
    that lists what govnlp wrote there is bookkeeping, not a file the user lost."""
    from nlp.atomic import MARKER

    (tmp_path / "r.txt").write_text((SEEDS / next(p.name for p in SEEDS.glob("000_*.txt"))).read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (tmp_path / MARKER).write_text("{}", encoding="utf-8")
    (tmp_path / ".other").write_text("x", encoding="utf-8")
    result = expand_paths([tmp_path])
    assert result == [tmp_path / "r.txt"]
    assert [Path(e.path).name for e in result.skipped] == [".other"]
