#!/usr/bin/env bash
# Install petlens with its test extras into ./.venv and run every test:
# ruff, the JavaScript unit tests (node --test) and the Python suite (pytest, real fastai on
# the CPU, headless Chromium from Debian's package for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

(cd js && npm ci --no-audit --no-fund --loglevel=error && npm test)
.venv/bin/ruff check .
.venv/bin/lint-imports   # the import contract in pyproject.toml (docs/ARCHITECTURE.md)
.venv/bin/python -m pytest "$@"   # exits non-zero on failures and when no test ran (5)
