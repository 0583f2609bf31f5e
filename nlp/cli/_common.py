"""What every command shares: the app, the consoles, output formats, loading and errors."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True)
out = Console()


class _App(typer.Typer):
    """The Typer app; missing shipped data (a model, the sample corpus) is one line, not a traceback."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except FileNotFoundError as e:
            from nlp.resources import MissingData  # imported late: `govnlp --help` stays fast

            if not isinstance(e, MissingData):
                raise
            err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
            sys.exit(1)


app = _App(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
           help="NLP for 政府信息公开工作年度报告: segment, inspect and analyse reports.")


class Format(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    xlsx = "xlsx"


def workers_option():
    """``--workers/-j``: processes on this machine for a command's heavy steps (reuse detection,
    batches of reports), by default one per core; every command that starts processes takes it."""
    import os

    return typer.Option(os.cpu_count() or 1, "--workers", "-j", min=1,
                        help="Processes for the heavy steps on this machine (default: one per core).")


FORMAT_HELP = ("csv, jsonl, parquet or xlsx (default: from the -o suffix, else jsonl); "
               "columns as in docs/schema.md.")


def print_skipped(errors) -> None:
    """One stderr line per skipped path, printed literally (a file may be named "x[/b].txt")."""
    for e in errors:
        err.print(f"[yellow]skipped[/yellow] {escape(str(e))}", highlight=False, soft_wrap=True)


def load(paths: List[Path], workers: int = 1, manifest: Optional[Path] = None):
    """Load reports, reporting each skipped path on stderr (every file of a folder is either read
    or listed with its reason); exit 1 when nothing was readable. A ``manifest`` lying among the
    inputs is not listed as skipped: it is read, as the manifest."""
    from nlp.corpus import without_manifest
    from nlp.load import load_reports
    from nlp.progress import track

    reports, unread = load_reports(paths, progress=lambda ps: track(ps, "Reading reports"),
                                   workers=workers)
    unread = without_manifest(unread, manifest)
    print_skipped(unread)
    if unread or not reports:
        err.print(f"{len(reports)} report(s) read, {len(unread)} skipped", highlight=False)
    if not reports:
        raise typer.Exit(1)
    return reports


def fail(e: Exception, code: int = 2) -> None:
    """A bad manifest or output path: one line on stderr, no traceback."""
    err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def check_folder(output: Path) -> None:
    """Refuse, before any work, an output folder holding files govnlp did not write."""
    from nlp.atomic import OutputError, check_folder

    try:
        check_folder(output)
    except OutputError as e:
        fail(e)


def emit(frame, name: str, format: Optional[Format], output: Optional[Path]) -> None:
    """A frame in its schema's columns (``docs/schema.md``): csv/jsonl on stdout, or any format
    written whole to ``output``; parquet and xlsx need ``output``."""
    from nlp.atomic import OutputError
    from nlp.dataset.write import FormatError, write_frame

    try:
        written = write_frame(frame, output, format.value if format else None, name)
    except (FormatError, OutputError) as e:
        fail(e)
    if output is None:
        sys.stdout.write(written)
    else:
        err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)


def check_format(format: Optional[Format], output: Optional[Path]) -> None:
    """Refuse parquet/xlsx to a terminal before any work."""
    from nlp.dataset.write import FormatError, format_of

    try:
        format_of(output, format.value if format else None)
    except FormatError as e:
        fail(e)


def read_manifest(manifest: Optional[Path]):
    """The manifest's rows, read before any report: a bad manifest is one line, exit 2."""
    from nlp.corpus import ManifestError, read_manifest

    if manifest is None:
        return None
    try:
        return read_manifest(manifest)
    except ManifestError as e:
        fail(e)


def apply_manifest(reports, rows) -> None:
    from nlp.corpus import ManifestError, apply_manifest

    if rows is None:
        return
    try:
        warnings = apply_manifest(reports, rows)
    except ManifestError as e:  # a bare file name on several rows
        fail(e)
    for line in warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


def load_with_manifest(paths: List[Path], manifest: Optional[Path], workers: int = 1):
    rows = read_manifest(manifest)
    reports = load(paths, workers, manifest)
    apply_manifest(reports, rows)
    return reports
