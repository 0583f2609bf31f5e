"""Commands that read reports: segment, tables, check, summarize, classify, topics, panel, show."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from nlp.cli._common import (FORMAT_HELP, Format, app, check_folder, check_format, emit, err, fail,
                             load, load_with_manifest, out, workers_option)


@app.command()
def segment(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per section: " + FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Split reports into their numbered sections, with exact character offsets."""
    from nlp.frames import sections_frame

    check_format(format, output)
    emit(sections_frame(load(paths)), "sections", format, output)


@app.command()
def tables(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per table cell: " + FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Parse the statistical tables 二, 三 and 四: one tidy row per cell (blank cells are null)."""
    from nlp.frames import tables_frame

    check_format(format, output)
    emit(tables_frame(load(paths)), "cells", format, output)


_STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "NOT_ASSESSABLE": "dim"}


@app.command()
def summarize(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    section: Optional[str] = typer.Option(None, "--section", "-s", help="Only this section id (overview, problems …); default every section but closing."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per report and section: " + FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    sentences: int = typer.Option(3, "--sentences", "-n", help="Sentences per summary."),
    reuse: bool = typer.Option(True, "--reuse/--no-reuse", help="Detect boilerplate shared between the given reports and down-weight it in summaries."),
    classify: bool = typer.Option(False, "--classify", help="Count problem/improvement statements with the shipped classifier."),
    workers: int = workers_option(),
) -> None:
    """Keywords, an extractive summary and key figures per report and section."""
    from nlp.atomic import OutputError
    from nlp.cli._common import print_skipped
    from nlp.dataset.write import FormatError, format_of
    from nlp.ingest.readers import expand_paths
    from nlp.progress import track
    from nlp.summarize.stream import readable, summary_chunks, write_summary

    check_format(format, output)
    files = expand_paths(paths)
    unread = list(files.skipped)
    # pass 1: keyword IDF and which files read; a chunk of Reports in memory at a time
    extractor, ok = readable(list(files), errors=unread, workers=workers,
                             progress=lambda cs: track(cs, "Reading reports"))
    print_skipped(unread)
    if unread or not ok:
        err.print(f"{len(ok)} report(s) read, {len(unread)} skipped", highlight=False)
    if not ok:
        raise typer.Exit(1)
    result = None
    if reuse and len(ok) > 1:
        from nlp.reuse.stream import detect_stream

        with err.status(f"Detecting reuse among {len(ok)} reports"):
            result = detect_stream(ok, workers=workers)
    classifier = None
    if classify:
        from nlp.classify import StatementClassifier

        classifier = StatementClassifier.load()
    changed: list = []  # read in the first pass, not in the second
    frames = summary_chunks(ok, extractor, section, reuse=result, classifier=classifier,
                            n=sentences, errors=changed, workers=workers,
                            progress=lambda cs: track(cs, "Summarizing"))
    try:
        write_summary(frames, output, format_of(output, format.value if format else None))
    except (FormatError, OutputError) as e:
        fail(e)
    if changed:
        print_skipped(changed)
        err.print(f"{len(changed)} more report(s) skipped: they no longer read", highlight=False)
    if output is not None:
        err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="Write one row per check instead of the listing: " + FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the rows here (the listing stays on the terminal)."),
) -> None:
    """Run the consistency checks on each report's tables, text and previous year's report."""
    from nlp.tables.checks import check_report, previous_reports, report_status

    check_format(format, output)
    reports = load(paths)
    if format is not None and output is None:  # rows on stdout: no listing mixed in
        from nlp.frames import checks_frame

        return emit(checks_frame(reports), "checks", format, None)
    tally = {"passed": 0, "failed": 0, "not assessable": 0}
    for report, prev in zip(reports, previous_reports(reports)):
        checks = check_report(report, prev)
        tally[report_status(checks)] += 1
        m = report.meta
        out.print(f"[bold]{escape(str(report.path))}[/bold]  {escape(m.office or '?')} {m.year or '?'}",
                  highlight=False, soft_wrap=True)
        for c in checks:
            style = _STATUS_STYLE.get(c.status, "")
            out.print(f"  [{style}]{c.status:<14}[/{style}] {c.id:<31} {escape(c.message)}",
                      highlight=False, soft_wrap=True)
    out.print(f"{len(reports)} report(s) checked: {tally['passed']} passed, {tally['failed']} "
              f"failed, {tally['not assessable']} not assessable", highlight=False)
    if output is not None:
        from nlp.frames import checks_frame

        emit(checks_frame(reports), "checks", format, output)



@app.command()
def show(path: Path = typer.Argument(..., help="One report file.")) -> None:
    """Print a report's outline: metadata, sections, parts and item counts."""
    from nlp.ingest.readers import IngestError
    from nlp.load import load_report
    from nlp.outline import outline_tree

    try:
        report = load_report(path)
    except IngestError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    out.print(outline_tree(report))


class ClassifierName(str, Enum):
    sklearn = "sklearn"
    spacy = "spacy"


@app.command()
def classify(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    model: Optional[ClassifierName] = typer.Option(None, "--model", "-m", help="sklearn or spacy (default: the one in models/classifier/default.json)."),
    all_sections: bool = typer.Option(False, "--all-sections", help="Classify every narrative section, not only 五."),
    labelled: bool = typer.Option(False, "--labelled", help="Only units labelled problem or improvement."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per statement unit: " + FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Label each statement of section 五 problem / improvement (or neither), with its topics."""
    from nlp.classify.model import statements_frame

    check_format(format, output)
    frame = statements_frame(load(paths), model.value if model else None,
                             None if all_sections else ("problems",))
    if labelled:
        frame = frame[frame["labels"].map(bool)]
    emit(frame, "statements", format, output)


class TopicMethod(str, Enum):
    nmf = "nmf"
    lda = "lda"
    embedding = "embedding"


@app.command()
def topics(
    corpus: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    section: str = typer.Option("problems", "--section", "-s", help="Section id whose statement units are the documents (problems, overview, …), or 'all'."),
    k: int = typer.Option(8, "-k", "--topics", help="Number of topics."),
    method: TopicMethod = typer.Option(TopicMethod.nmf, "--method", "-m", help="nmf (TF-IDF), lda (counts) or embedding (sentence-vector clusters described by class-based TF-IDF)."),
    statements: bool = typer.Option(False, "--statements", help="Also classify units problem / improvement / other (column statement)."),
    keep_template: bool = typer.Option(False, "--keep-template", help="Keep the template's words (存在, 不够 …) in the vocabulary."),
    label: Optional[str] = typer.Option(None, "--label", help="Keep only the units the statement classifier labels so: problem or improvement."),
    drop_boilerplate: bool = typer.Option(False, "--drop-boilerplate", help="Drop units inside template or cross-office passages found by reuse detection."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same topics."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the frames and plots (PNG) into this folder."),
    format: Format = typer.Option(Format.csv, "--format", "-f", help="Format of the frames in the -o folder: csv, jsonl, parquet or xlsx."),
    workers: int = workers_option(),
) -> None:
    """Topic models (NMF, LDA or embedding clusters) over statement units: top words and NPMI coherence per topic."""
    from nlp.cli._common import print_skipped
    from nlp.ingest.readers import expand_paths
    from nlp.progress import track
    from nlp.summarize.stream import read_chunks
    from nlp.topics.corpus import fit_topics_batches

    if output is not None:
        check_folder(output)
    files = expand_paths(corpus)
    unread, read = list(files.skipped), []

    def batches():  # a chunk of Reports at a time: only units and metadata are kept
        for batch in read_chunks(list(files), errors=unread,
                                 progress=lambda cs: track(cs, "Reading reports")):
            read.extend(str(r.path) for r in batch)
            yield batch
    reuse = None
    if drop_boilerplate:  # over all the files, read shard by shard (never a list of Reports)
        from nlp.reuse.stream import detect_stream

        with err.status("Detecting reuse"):
            reuse = detect_stream(list(files), workers=workers)
    try:
        result = fit_topics_batches(batches(), section=None if section == "all" else section,
                                    label=label, drop_boilerplate=drop_boilerplate, reuse=reuse,
                                    method=method.value, n_topics=k, seed=seed,
                                    statements=statements, drop_template=not keep_template)
    except ValueError as e:
        print_skipped(unread)
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False)
        raise typer.Exit(1)
    print_skipped(unread)
    if unread:
        err.print(f"{len(read)} report(s) read, {len(unread)} skipped", highlight=False)
    p = result.params
    dropped = f", {p['boilerplate_dropped']} boilerplate dropped" if "boilerplate_dropped" in p else ""
    labelled = f", {p['labelled']} labelled {label}" if "labelled" in p else ""
    out.print(f"{p['method'].upper()} k={k} seed={seed} on section {section}: {p['units']} units"
              f"{labelled}{dropped}, {p['documents']} with words; mean NPMI "
              f"{result.topics['coherence'].mean():+.3f}", highlight=False)
    for t in result.topics.itertuples():
        out.print(f"  [bold]{t.topic:>2}[/bold]  NPMI {t.coherence:+.3f}  {t.documents:>4} units  {t.label}: {t.words}",
                  highlight=False, soft_wrap=True)
    if output is not None:
        from nlp.atomic import OutputError, atomic_folder

        try:
            with atomic_folder(output) as tmp:  # written whole, like every -o folder
                written = [output / p.relative_to(tmp) for p in result.write(tmp, format=format.value)]
        except OutputError as e:
            fail(e)
        for path in written:
            err.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def panel(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write: .csv, .jsonl, .parquet or .xlsx."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="csv, jsonl, parquet or xlsx (default: from the output's suffix, else jsonl)."),
    reuse: bool = typer.Option(True, "--reuse/--no-reuse", help="Detect reuse among the reports for the template, boilerplate and self-copy shares."),
    classify: bool = typer.Option(True, "--classify/--no-classify", help="Count problem and improvement statements of section 五 with the shipped classifier."),
    workers: int = workers_option(),
) -> None:
    """One row per report: office, year, every table cell, checks, section lengths, reuse shares
    and statement counts (the table to load into Stata, R or pandas)."""
    import warnings

    from nlp.atomic import OutputError
    from nlp.dataset.write import FormatError, format_of, write_frame
    from nlp.panel import PanelWarning, panel_frame

    try:
        fmt = format_of(output, format)
    except FormatError as e:
        fail(e)
    reports = load_with_manifest(corpus, manifest, workers)
    result = False
    if reuse and len(reports) > 1:
        from nlp.reuse.detect import detect
        from nlp.reuse.distributed import pool_mapper

        with pool_mapper(workers if len(reports) >= 200 else 1) as mapper, \
                err.status(f"Detecting reuse among {len(reports)} reports"):  # a pool costs ~1 s
            result = detect(reports, mapper=mapper)
    with warnings.catch_warnings(record=True) as caught:  # a cell left out: one line each
        warnings.simplefilter("always", PanelWarning)
        frame = panel_frame(reports, reuse=result, classifier=None if classify else False)
    for w in caught:
        if not issubclass(w.category, PanelWarning):  # not ours: shown as it would have been
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
            continue
        err.print(f"[yellow]warning[/yellow] {escape(str(w.message))}", highlight=False,
                  soft_wrap=True)
    try:
        write_frame(frame, output, fmt)
    except (OutputError, FormatError) as e:
        fail(e)
    err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)
    out.print(f"{len(frame)} reports, {len(frame.columns)} columns", highlight=False)
