# shellcheck shell=bash
# Sourced by scripts/setup, scripts/serve and scripts/test, or by hand
# (`source scripts/env.sh`) before running trunk or cargo yourself.

DOCBAO_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOCBAO_REPO

# Put $1 at the front of PATH, dropping any later copy of it.
_docbao_path_front() {
  local p=":${PATH}:"
  p="${p//:$1:/:}"
  p="${p#:}"
  p="${p%:}"
  PATH="$1${p:+:$p}"
}
# Order matters: node_modules/.bin must come FIRST so that npm's binaryen
# wasm-opt (version 132, which reads current wasm-bindgen output) wins over
# Debian's older one. trunk looks its tools up on PATH and checks versions.
_docbao_path_front "${HOME}/.cargo/bin"
_docbao_path_front "${DOCBAO_REPO}/node_modules/.bin"
unset -f _docbao_path_front
export PATH

# wasm-bindgen-test-runner: which driver to start, and where its capabilities
# (Chromium binary and flags) are, whatever directory cargo runs it from.
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${DOCBAO_REPO}/webdriver.json"

# A reproducible bundle: panic locations in the wasm name source files by path, so map
# the checkout and cargo's registry to fixed names. The same input then gives the same
# dist/ wherever it is built. (Target-specific, so host build scripts are unaffected.)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${DOCBAO_REPO}=/docbao --remap-path-prefix=${CARGO_HOME:-${HOME}/.cargo}=/cargo"
