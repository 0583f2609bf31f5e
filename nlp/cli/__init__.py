"""The ``govnlp`` command (like ``spacy.cli``): a thin Typer layer over the library, one module per
group of commands. ``cli.py`` at the top of the repository is the installed entry point."""
from nlp.cli._common import app
from nlp.cli import read, reuse, study, train  # noqa: F401,E402  (each registers its commands on app)

__all__ = ["app"]
