"""Where the shipped models and the bundled corpora are, however govnlp was installed.

The repository keeps them at its top, in ``models/`` and ``corpora/``; a wheel (``pip install .``)
carries the same folders inside the package as ``nlp/models`` and ``nlp/bundled_corpora``
(``[tool.setuptools] package-dir`` in ``pyproject.toml``). An editable install or a checkout
reads them in place: setuptools' editable finder cannot import a folder without
``__init__.py`` that lies outside its parent package, so the checkout is the fallback rather
than ``importlib.resources.files("nlp.models")``.

Two environment variables point elsewhere (read at each call, so a test or a long-lived process
can change them): ``GOVNLP_MODELS`` (a folder laid out like ``models/``: ``classifier/``,
``embeddings/zh-static-use/``) and ``GOVNLP_CORPORA`` (a folder of corpus folders, each with a
``manifest.csv``).
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

MODELS_ENV = "GOVNLP_MODELS"
CORPORA_ENV = "GOVNLP_CORPORA"
#: (folder inside the installed package, folder at the top of a checkout)
_MODELS = ("models", "models")
_CORPORA = ("bundled_corpora", "corpora")


class MissingData(FileNotFoundError):
    """Shipped data is not where govnlp looks; the message is one line, which the CLI prints."""


class MissingModel(MissingData):
    """A model file is missing (``require``)."""


class MissingCorpus(MissingData, ValueError):
    """No bundled corpus of that name (a ValueError too, as ``nlp.corpora.path`` always raised)."""


def _package_dir() -> Path:
    # nlp is a regular package on disk, so files() is a real directory (zip imports unsupported:
    # spaCy and safetensors need real files)
    return Path(str(resources.files("nlp")))


def _bundled(names: tuple[str, str]) -> Path:
    inside, top = names
    packaged = _package_dir() / inside
    return packaged if packaged.is_dir() else _package_dir().parent / top


def models_dir() -> Path:
    """The models folder: ``$GOVNLP_MODELS``, else the one installed with the package or the checkout's."""
    env = os.environ.get(MODELS_ENV)
    return Path(env) if env else _bundled(_MODELS)


def corpora_dir() -> Path:
    """The folder of bundled corpora: ``$GOVNLP_CORPORA``, else the installed or the checkout's."""
    env = os.environ.get(CORPORA_ENV)
    return Path(env) if env else _bundled(_CORPORA)


def require(path: str | os.PathLike, rebuild: str = "") -> Path:
    """``path`` if it exists, else :class:`MissingModel` with a one-line message.

    The message names the path and ``$GOVNLP_MODELS`` (and where the models folder came from),
    because the usual cause is an install without the data or a variable pointing elsewhere;
    ``rebuild`` names the command that makes the file.
    """
    path = Path(path)
    if path.exists():
        return path
    env = os.environ.get(MODELS_ENV)
    where = f"{MODELS_ENV}={env}" if env else \
        f"{MODELS_ENV} unset; set it to a folder laid out like models/ to load models from there"
    hint = f"; rebuild it with `{rebuild}`" if rebuild else ""
    raise MissingModel(f"model file not found: {path} ({where}){hint}")
