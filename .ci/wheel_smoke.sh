#!/usr/bin/env bash
# Packaging smoke test: govnlp installed from its wheel (not editable) into a fresh venv works
# from any folder, with the models and the sample corpus the wheel carries (nlp/resources.py).
#
# 1. builds the wheel from a copy of the checkout's files (tracked and untracked-but-not-ignored),
#    so a stale build/ or a local file cannot leak into it;
# 2. installs it with its dependencies into a fresh venv (torch 2.13.0 CPU comes from the
#    machine's wheel folder that pip is configured with; checked below, a CUDA torch fails);
# 3. from an empty temporary folder, without GOVNLP_MODELS/GOVNLP_CORPORA: classify on a seed,
#    reuse (with embeddings) on the seeds, demo, and a missing model or corpus (one line each).
# Any failure exits non-zero. Usage: bash .ci/wheel_smoke.sh  (PYTHON=python3.11 to choose).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/govnlp-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
step() { echo "wheel smoke [$((SECONDS - start)) s] $*"; }
quiet() {  # run a noisy command; show its output only when it fails
  "$@" >"$work/log" 2>&1 || { cat "$work/log"; echo "wheel smoke: FAILED: $*"; exit 1; }
}

step "copying the checkout's files"
mkdir -p "$work/src" "$work/run"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard \
   | tar --null --files-from=- --ignore-failed-read -cf -) | tar -xf - -C "$work/src"

step "building the wheel"
quiet "$PYTHON" -m venv "$work/venv"
bin="$work/venv/bin"
quiet "$bin/pip" wheel --no-deps -w "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/govnlp-*.whl)"
echo "  $(basename "$wheel"): $(du -h "$wheel" | cut -f1)"

step "installing it with its dependencies into a fresh venv"
quiet "$bin/pip" install "$wheel"
"$bin/python" -c "import torch; v = torch.__version__; assert v.endswith('+cpu'), f'torch {v} is not the CPU build'"

# An empty folder: nothing of the checkout is importable or readable from here.
cd "$work/run"
unset GOVNLP_MODELS GOVNLP_CORPORA
export HF_HUB_OFFLINE=1
seed="$(ls "$repo"/corpora/seeds/000_*.txt)"

step "models and corpora come from the installed package"
"$bin/python" - <<'EOF'
from pathlib import Path
import nlp
from nlp import resources
pkg = Path(nlp.__file__).parent
assert "site-packages" in str(pkg), pkg
assert resources.models_dir() == pkg / "models", resources.models_dir()
assert resources.corpora_dir() == pkg / "bundled_corpora", resources.corpora_dir()
for f in ("classifier/sklearn.pkl", "classifier/spacy/meta.json",
          "embeddings/zh-static-use/model.safetensors"):
    assert (resources.models_dir() / f).is_file(), f
assert nlp.corpora.available() == ["seeds"], nlp.corpora.available()
EOF

step "govnlp classify (sklearn and spaCy)"
"$bin/govnlp" classify "$seed" -o classify.jsonl
"$bin/govnlp" classify "$seed" -m spacy -o classify-spacy.jsonl
"$bin/python" - <<'EOF'
import json
for name in ("classify.jsonl", "classify-spacy.jsonl"):
    rows = [json.loads(line) for line in open(name, encoding="utf-8")]
    assert rows and any(r["labels"] for r in rows), f"{name}: no labelled statement"
EOF

step "govnlp reuse with embeddings"
"$bin/govnlp" reuse "$repo/corpora/seeds" --manifest "$repo/corpora/seeds/manifest.csv" -o reuse -j 1
test -s reuse/passages.jsonl || { ls reuse; echo "wheel smoke: no reuse/passages.jsonl"; exit 1; }

step "govnlp demo"
"$bin/govnlp" demo -o demo >/dev/null
test -s demo/statements.csv

step "a missing model is one line naming GOVNLP_MODELS, not a traceback"
if GOVNLP_MODELS="$work/no-models" "$bin/govnlp" classify "$seed" >/dev/null 2>missing.txt; then
  echo "wheel smoke: classify ran without its model"; exit 1
fi
cat missing.txt
grep -q GOVNLP_MODELS missing.txt && ! grep -q Traceback missing.txt && [ "$(wc -l <missing.txt)" -le 2 ] \
  || { echo "wheel smoke: FAILED: the missing-model error is not one line"; exit 1; }

step "a missing sample corpus is one line naming GOVNLP_CORPORA, not a traceback"
if GOVNLP_CORPORA="$work/no-corpora" "$bin/govnlp" demo -o demo2 >/dev/null 2>missing.txt; then
  echo "wheel smoke: demo ran without its corpus"; exit 1
fi
cat missing.txt
grep -q GOVNLP_CORPORA missing.txt && ! grep -q Traceback missing.txt && [ "$(wc -l <missing.txt)" -le 2 ] \
  || { echo "wheel smoke: FAILED: the missing-corpus error is not one line"; exit 1; }

step "passed"
