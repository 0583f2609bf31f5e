"""The files of ``govnlp reuse``: passages, families, per-report measures, leaks, the learned
template entries (for review) and a viewer."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nlp.reuse.detect import ReuseResult


#: The frames of a reuse output folder, each written as ``NAME.FORMAT`` with the columns of its
#: schema (``docs/schema.md``), then the viewer.
FRAMES = ("passages", "families", "shares", "leaks")
VIEWER = "viewer.html"
#: Text this corpus calls template by its spread, not by the national template's list: written
#: out for review (a line per family), to be added to ``data/national_template.tsv`` or not.
#: Only when there is some (a corpus of one county or province never has any).
LEARNED = "template_learned.txt"


def output_files(format: str = "jsonl") -> tuple[str, ...]:
    """The files of a reuse output folder in ``format``, in the order they are written (and
    ``LEARNED`` before the viewer when the corpus taught some template)."""
    return tuple(f"{name}.{format}" for name in FRAMES) + (VIEWER,)


def learned_text(result: "ReuseResult") -> str:
    """``template_learned.txt``: one tab-separated line per learned template family (family id,
    reports, offices, areas, canonical sentence), after a header saying what it is."""
    lines = ["# Template learned from this corpus: text in many reports of many areas that is not",
             "# on the national template's list (nlp/reuse/data/national_template.tsv). Review it:",
             "# add true template text to that list; the rest is reuse worth reading.",
             "# family\treports\toffices\tareas\tcanonical"]
    for f in result.learned_templates():
        text = " ".join(result.table.raw(f.canonical).split())
        lines.append(f"{f.id}\t{len(f.docs)}\t{f.offices}\t{f.areas}\t{text}")
    return "\n".join(lines) + "\n"


#: The files with the default format (JSON lines).
OUTPUT_FILES = output_files()


def frame_makers(result: "ReuseResult") -> dict:
    """How to make each file's frame: passages, families, shares (``reports_frame``) and leaks.
    Made and written one at a time: at 100,000 reports the passages frame alone is ~1 GB."""
    return {"passages": result.passages_frame, "families": result.families_frame,
            "shares": result.reports_frame, "leaks": result.leaks_frame}


def write_outputs(result: "ReuseResult", outdir, format: str = "jsonl") -> list[Path]:
    """Write passages, families, shares and leaks in ``format`` (csv, jsonl, parquet, xlsx),
    template_learned.txt and viewer.html.

    The folder is written whole (:func:`nlp.atomic.atomic_folder`): an interrupted run leaves the
    previous outputs, not a ``passages.jsonl`` that stops halfway yet looks complete.
    """
    from nlp.atomic import atomic_folder
    from nlp.dataset.write import FrameAppender, format_of, write_file
    from nlp.report.viewer import write_viewer

    format = format_of(Path(outdir) / f"x.{format}", format)
    outdir = Path(outdir)
    with atomic_folder(outdir) as tmp:
        for name, make in frame_makers(result).items():
            if name == "passages" and format in ("csv", "jsonl"):  # appended a block at a time
                out = FrameAppender(tmp / f"{name}.{format}", format, name)
                for block in result.passage_blocks():
                    out.append(block)
                continue
            write_file(make(), tmp / f"{name}.{format}", format, name)
        if result.learned_templates():
            (tmp / LEARNED).write_text(learned_text(result), encoding="utf-8")
        write_viewer(result, tmp)
    names = output_files(format)
    if result.learned_templates():
        names = names[:-1] + (LEARNED, VIEWER)
    return [outdir / name for name in names]
