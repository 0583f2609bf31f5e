"""Commands that study a corpus as a whole: history (across the years) and report (the study page)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from nlp.cli._common import (Format, app, check_folder, err, fail, load_with_manifest, out,
                             print_skipped)


@app.command()
def history(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for history, cross-year checks, repeated problems, improvements and timelines."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    format: Format = typer.Option(Format.csv, "--format", "-f", help="Format of history and cross_year_checks: csv, jsonl, parquet or xlsx (columns in docs/schema.md)."),
    classify: bool = typer.Option(True, "--classify/--no-classify", help="Link repeated problems and reported improvements with the shipped classifier."),
) -> None:
    """Each office's reports in year order, each against its latest earlier report: carried-over
    shares, changed figures, repeated problems, promised improvements reported done."""
    from nlp.atomic import OutputError
    from nlp.history import history as run_history

    check_folder(output)
    reports = load_with_manifest(corpus, manifest)
    result = run_history(reports, classifier=None if classify else False, progress=True)
    try:
        written = result.write(output, format=format.value)
    except OutputError as e:
        fail(e)
    for path in written:
        err.print(f"wrote {escape(str(path))}", highlight=False, soft_wrap=True)
    frame = result.history_frame()
    rows = frame[(frame["section"] == "all") & frame["previous_report_id"].notna()]
    out.print(f"{len(reports)} reports of {frame['office_id'].nunique()} offices: {len(rows)} "
              f"compared with an earlier report, {int(rows['near_identical'].fillna(False).sum())} "
              "near-identical to it", highlight=False)


@app.command()
def report(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for index.html (the study), its figures' data, the frames and the reuse viewer."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
) -> None:
    """A study of the corpus as one page (index.html): the corpus, tables, reuse, section 五 and
    summaries, every figure linked to the file behind it, readable at 10,000 reports."""
    from nlp.atomic import OutputError
    from nlp.corpus import Corpus, ManifestError
    from nlp.report.study import write_study

    check_folder(output)
    try:
        study = Corpus(corpus, manifest=manifest)
    except ManifestError as e:
        fail(e)
    print_skipped(study.skipped)
    if not len(study):
        err.print(f"0 report(s) read, {len(study.skipped)} skipped", highlight=False)
        raise typer.Exit(1)
    try:
        written = write_study(study, output)
    except OutputError as e:
        fail(e)
    out.print(f"[green]A study of {len(study)} reports: {escape(str((output / 'index.html').resolve()))}"
              f"[/green] ({len(written)} files)", highlight=False)
