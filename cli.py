"""The ``govnlp`` command: a thin Typer layer over the ``nlp`` library (commands in ``nlp/cli/``)."""
from nlp.cli import app

if __name__ == "__main__":  # pragma: no cover
    app()
