#!/usr/bin/env bash
# Installs the OCR engine (rapidocr-onnxruntime, PP-OCRv4 models inside its wheel) into a venv
# so that only the headless OpenCV is there. rapidocr's metadata asks for opencv-python, whose
# bundled Qt plugins clash with PySide6's; both wheels install the same cv2/ package, so one
# must not be installed over the other. The `ocr` extra in pyproject.toml holds rapidocr's real
# runtime dependencies (with opencv-python-headless); rapidocr itself, pinned under
# [tool.mynacheck] ocr-no-deps, comes in here without its declared dependencies.
# Usage: scripts/install-ocr.sh VENV_PYTHON   (run from the repository root; idempotent)
set -euo pipefail
python="${1:?usage: scripts/install-ocr.sh VENV_PYTHON}"
pip=("$python" -m pip --disable-pip-version-check)

mapfile -t specs < <("$python" - <<'PY'
import tomllib
with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["tool"]["mynacheck"]["ocr-no-deps"]))
PY
)
"${pip[@]}" install --quiet --no-deps "${specs[@]}"

# A venv where someone once installed rapidocr with its dependencies has opencv-python over
# the headless files: take it out, then lay the headless wheel's files down again.
if "${pip[@]}" show --quiet opencv-python >/dev/null 2>&1; then
  echo "install-ocr: removing opencv-python (its Qt clashes with PySide6)" >&2
  "${pip[@]}" uninstall --quiet --yes opencv-python
  headless=$("$python" -c 'from importlib.metadata import version; print(version("opencv-python-headless"))')
  "${pip[@]}" install --quiet --force-reinstall --no-deps "opencv-python-headless==${headless}"
fi

"$python" - <<'PY'
import importlib.metadata as md
import pathlib
import sys

import cv2
import rapidocr_onnxruntime

problems = []
if any(d.metadata["Name"].lower() == "opencv-python" for d in md.distributions()):
    problems.append("opencv-python is still installed")
# Uninstalling opencv-python may leave its emptied cv2/qt folders; only files would matter.
if any(p.is_file() for p in (pathlib.Path(cv2.__file__).parent / "qt").rglob("*")):
    problems.append("cv2 carries Qt plugins (not the headless build)")
models = pathlib.Path(rapidocr_onnxruntime.__file__).parent / "models"
if not sorted(models.glob("*rec*.onnx")) or not sorted(models.glob("*det*.onnx")):
    problems.append(f"no detection/recognition models in {models}")
if problems:
    sys.exit("install-ocr: " + "; ".join(problems))
PY
