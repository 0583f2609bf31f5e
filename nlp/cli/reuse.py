"""Reuse commands: reuse (and reuse query), index build/add, synth."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from nlp.cli._common import (Format, app, check_folder, err, fail, load, load_with_manifest, out,
                             print_skipped, read_manifest, workers_option)


@app.command()
def reuse(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs; or `query REPORT`."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Folder for passages, families, shares, leaks and the viewer."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    index: Optional[Path] = typer.Option(None, "--index", help="With `query`: the DuckDB index to ask."),
    workdir: Optional[Path] = typer.Option(None, "--workdir", help="Folder for the shards (sentences and MinHash values on disk); kept for a later run. Default: a temporary folder, removed."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="A dask.distributed scheduler address: run on that cluster (--workdir on a filesystem every worker sees)."),
    workers: int = workers_option(),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic", help="Also look for disguised copies through sentence embeddings."),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help="Format of passages, families, shares and leaks: csv, jsonl, parquet or xlsx (columns in docs/schema.md)."),
) -> None:
    """Find boilerplate copied between offices (or, as `reuse query REPORT --index F`, ask an index).

    Reports stream through shards on disk (nlp.reuse.stream): memory grows with the sentences,
    not with Report objects, and the result is the in-memory detect()'s.
    """
    if corpus and str(corpus[0]) == "query":
        return _reuse_query(corpus[1:], index, workers, semantic)
    if output is None:
        err.print("[red]error[/red] --output/-o is required", highlight=False)
        raise typer.Exit(2)
    if scheduler and workdir is None:
        err.print("[red]error[/red] --scheduler needs --workdir: a folder every worker and this "
                  "machine see at one path", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    check_folder(output)
    rows = read_manifest(manifest)
    _check_manifest_rows(corpus, rows)
    result = _detect_streaming(corpus, rows, workdir, scheduler, workers, semantic)
    from nlp.corpus import without_manifest

    skipped = without_manifest(result.skipped, manifest)
    print_skipped(skipped)
    n = len(result.table.docs)
    if skipped or not n:
        err.print(f"{n} report(s) read, {len(skipped)} skipped", highlight=False)
    if not n:
        raise typer.Exit(1)
    from nlp.atomic import OutputError

    from nlp.progress import status

    what = f"Writing passages, families, shares, leaks and the viewer to {escape(str(output))}"
    try:
        with status(what):  # ≈ 80 s at 100,000 reports, after detection's last bar
            written = result.write(output, format.value)
    except OutputError as e:
        fail(e)
    for path in written:
        err.print(f"wrote {escape(str(path))}", highlight=False, soft_wrap=True)
    layers = Counter(result.passage_layer(p) for p in result.passages)  # no frame of texts
    out.print(f"{n} reports: {len(result.passages)} aligned passages "
              f"({', '.join(f'{k} {v}' for k, v in sorted(layers.items())) or 'none'}), "
              f"{len(result.families)} families, {len(result.leaks)} leaks", highlight=False)


def _check_manifest_rows(corpus: List[Path], rows) -> None:
    """Before reading: a path the manifest cannot name is one line (exit 2); rows for files
    that do not exist are warnings."""
    if rows is None:
        return
    from nlp.corpus import ManifestError, unmatched_rows
    from nlp.ingest.readers import expand_paths

    try:
        warnings = unmatched_rows(rows, expand_paths(corpus))
    except ManifestError as e:
        fail(e)
    for line in warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


def _detect_streaming(corpus: List[Path], rows, workdir: Optional[Path], scheduler: Optional[str],
                      workers: int, semantic: bool):
    """``detect_stream`` on this machine's processes or on a dask.distributed cluster."""
    from nlp.reuse.distributed import client_mapper, pool_mapper
    from nlp.reuse.stream import detect_stream

    def run(mapper):
        return detect_stream(corpus, workdir, mapper=mapper, manifest=rows, semantic=semantic,
                             progress=True)

    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            return run(client_mapper(client))
    with pool_mapper(workers) as mapper:
        return run(mapper)


def _reuse_query(paths: List[Path], index: Optional[Path], workers: int = 1,
                 semantic: bool = True) -> None:
    """A report's passages from the index: stored rows when it is indexed, else one detection
    over the indexed reports plus it (what `index add` would store; nothing is written)."""
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.store import IndexFileError, ReuseIndex

    if len(paths) != 1 or index is None:
        err.print("[red]error[/red] usage: govnlp reuse query REPORT --index corpus.duckdb "
                  "(an index made by `govnlp index build`)", highlight=False)
        raise typer.Exit(2)
    report = load(paths)[0]
    try:
        with ReuseIndex(index, read_only=True) as ix:
            if not ix.complete:
                err.print(f"[yellow]warning[/yellow] {escape(str(index))} is marked incomplete "
                          "(an add was interrupted); `govnlp index add` repairs it", highlight=False)
            if ix.find(report) is None:
                n = ix.counts()["reports"]
                err.print(f"{escape(str(report.path))} is not in the index: detecting reuse over "
                          f"the {n} indexed reports and it (`govnlp index add` keeps the result)",
                          highlight=False, soft_wrap=True)
                with pool_mapper(workers if n >= 200 else 1) as mapper:
                    found = ix.query(report, mapper=mapper, semantic=semantic)
            else:
                found = ix.query(report)
    except IndexFileError as e:
        fail(e)
    if found.empty:
        out.print(f"{report.path}: nothing in this report is found in {index}", highlight=False,
                  markup=False)
        return
    for row in found.itertuples():
        who = escape(f"{row.other_office or row.other_path} {row.other_year or ''}")
        if row.layer == "self_copy":
            how = "self-copy of" if row.other_wrote_first else "self-copied into"
        elif row.layer == "template":
            how = "template, also in"
        elif row.layer == "regional_model":
            how = "model text of its county or city, also in"
        else:
            how = "copied from" if row.other_wrote_first else "copied into (later)"
        out.print(f"[{row.start}:{row.end}] {row.similarity:.2f} {how} {who} "
                  f"[{row.other_start}:{row.other_end}]  {escape(row.text[:60])}", highlight=False,
                  soft_wrap=True)


@app.command()
def synth(
    n: int = typer.Argument(..., help="How many reports to write."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for reports/, manifest.csv and truth.jsonl."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same corpus, byte for byte."),
    county_model: Optional[float] = typer.Option(None, "--county-model", min=0.0, max=1.0, help="One county's towns: plant the county's model text in this share of its offices (model.jsonl says where)."),
) -> None:
    """Write a synthetic corpus with planted copies: the ground truth for `govnlp reuse`."""
    from nlp.atomic import OutputError
    from nlp.reuse.synth import synthesize

    try:
        result = synthesize(n, output, seed=seed, progress=True, county_model=county_model)
    except OutputError as e:
        fail(e)
    out.print(result.summary(), highlight=False)


index_app = typer.Typer(help="An embedded DuckDB index of a corpus, for fast reuse queries.")
app.add_typer(index_app, name="index")


def _index_progress(line: str) -> None:
    err.print(line, highlight=False, markup=False)


@index_app.command("build")
def index_build(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="The DuckDB file to create."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV overriding inferred metadata."),
    workers: int = workers_option(),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic", help="Also look for disguised copies through sentence embeddings."),
) -> None:
    """Index a corpus: its reports, sections, sentences, table cells and the results of `govnlp reuse` on it."""
    from nlp.atomic import OutputError
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.store import build_index

    if output.exists():
        err.print(f"[red]error[/red] {escape(str(output))} exists; use `govnlp index add` to add reports",
                  highlight=False)
        raise typer.Exit(2)
    reports = load_with_manifest(corpus, manifest, workers)
    try:
        with pool_mapper(workers if len(reports) >= 200 else 1) as mapper:  # a pool costs ~1 s
            counts = build_index(output, reports, mapper=mapper, semantic=semantic,
                                 progress=_index_progress)
    except OutputError as e:
        fail(e)
    out.print(f"indexed {counts['reports']} reports, {counts['sentences']} sentences, "
              f"{counts['passages']} passages, {counts['families']} families in {output}",
              highlight=False, markup=False)


@index_app.command("add")
def index_add(
    corpus: List[Path] = typer.Argument(..., help="New report files, folders or globs."),
    index: Path = typer.Option(..., "--index", help="The DuckDB index to extend."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV overriding inferred metadata."),
    workers: int = workers_option(),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic", help="Also look for disguised copies through sentence embeddings."),
) -> None:
    """Add reports not yet indexed (same text, office and year: already there) and re-run detection over the whole index; repairs an interrupted add."""
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.store import IndexFileError, ReuseIndex

    try:
        with ReuseIndex(index) as ix:  # opened first: a bad index fails before any reading
            repair = not ix.complete
            reports = load_with_manifest(corpus, manifest, workers)
            total = len(reports) + ix.counts()["reports"]
            with pool_mapper(workers if total >= 200 else 1) as mapper:
                added = ix.add(reports, mapper=mapper, semantic=semantic, progress=_index_progress)
            counts = ix.counts()
    except IndexFileError as e:
        fail(e)
    note = " (repaired an interrupted add)" if repair else ""
    out.print(f"added {added} new reports ({len(reports) - added} already indexed){note}; the index "
              f"holds {counts['reports']} reports, {counts.get('passages', 0)} passages",
              highlight=False, markup=False)

