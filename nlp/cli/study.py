"""Commands that study a corpus as a whole: history (across the years) and report (the study page)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from nlp.cli._common import (Format, app, check_folder, err, fail, out, print_skipped,
                             workers_option)


def open_batches(corpus: List[Path], manifest: Optional[Path], batches_class=None,
                 workers: int = 1):
    """The corpus as batches of whole offices (``nlp.offices.OfficeBatches`` or a subclass),
    the next batch read by ``workers`` processes: a bad manifest is one line; skipped files
    and manifest rows without a file are listed, one line each; nothing readable exits 1."""
    import warnings

    from nlp.corpus import ManifestError, ManifestWarning
    from nlp.offices import OfficeBatches

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ManifestWarning)  # printed below, one line each
            batches = (batches_class or OfficeBatches)(corpus, manifest, workers=workers,
                                                       progress=True)
    except ManifestError as e:
        fail(e)
    print_skipped(batches.skipped)
    for line in batches.manifest_warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}", highlight=False, soft_wrap=True)
    if batches.skipped or not len(batches):
        err.print(f"{len(batches)} report(s) read, {len(batches.skipped)} skipped", highlight=False)
    if not len(batches):
        raise typer.Exit(1)
    return batches


@app.command()
def history(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for history, cross-year checks, repeated problems, improvements and timelines."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    format: Format = typer.Option(Format.csv, "--format", "-f", help="Format of history and cross_year_checks: csv, jsonl, parquet or xlsx (columns in docs/schema.md)."),
    classify: bool = typer.Option(True, "--classify/--no-classify", help="Link repeated problems and reported improvements with the shipped classifier."),
    workers: int = workers_option(),
) -> None:
    """Each office's reports in year order, each against its latest earlier report: carried-over
    shares, changed figures, repeated problems, promised improvements reported done."""
    from nlp.atomic import OutputError
    from nlp.corpus import ManifestError
    from nlp.history.stream import HistoryBatches, write_history

    check_folder(output)
    batches = open_batches(corpus, manifest, HistoryBatches, workers)  # whole offices a batch
    unread = len(batches.skipped)
    try:
        run = write_history(batches, output, format.value, None if classify else False)
    except (OutputError, ManifestError) as e:
        fail(e)
    print_skipped(batches.skipped[unread:])  # changed since they were first read
    for path in run.written:
        err.print(f"wrote {escape(str(path))}", highlight=False, soft_wrap=True)
    out.print(run.summary(), highlight=False)


@app.command()
def report(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for index.html (the study), its figures' data, the frames and the reuse viewer."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    workers: int = workers_option(),
) -> None:
    """A study of the corpus as one page (index.html): the corpus, tables, reuse, section 五 and
    summaries, every figure linked to the file behind it, readable at 10,000 reports."""
    from nlp.atomic import OutputError
    from nlp.report.stream import stream_study

    check_folder(output)
    batches = open_batches(corpus, manifest, workers=workers)  # bounded memory: batches
    unread = len(batches.skipped)
    try:
        written = stream_study(batches, output, workers=workers)
    except OutputError as e:
        fail(e)
    print_skipped(batches.skipped[unread:])  # changed since they were first read
    out.print(f"[green]A study of {len(batches)} reports: {escape(str((output / 'index.html').resolve()))}"
              f"[/green] ({len(written)} files)", highlight=False)
