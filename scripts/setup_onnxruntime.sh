#!/usr/bin/env bash
# Install the ONNX Runtime shared library that the portrait generator (src/generator/) loads at
# run time, from the pinned PyPI wheel, into .tools/onnxruntime/ (git-ignored).
#
# Idempotent: does nothing when the pinned version is already there. `.cargo/config.toml` points
# ORT_DYLIB_PATH at the library, so `cargo run/test/bench` find it without further setup.
#
# The version is pinned to the ONNX Runtime API the `ort` crate is built against (Cargo.toml:
# ort's `api-NN` feature = minor version NN). Change both together.
set -euo pipefail

ORT_VERSION="1.31.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/.tools/onnxruntime"
LIB="$TARGET/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION"
STAMP="$TARGET/.chimera-version"

if [[ -f "$LIB" && -f "$STAMP" && "$(cat "$STAMP")" == "$ORT_VERSION" ]]; then
    echo "onnxruntime $ORT_VERSION already installed: $LIB"
    exit 0
fi

PYTHON="${PYTHON:-python3}"
rm -rf "$TARGET"
mkdir -p "$TARGET"
# --no-deps: only the shared library is needed, not numpy/protobuf/etc.
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$TARGET" "onnxruntime==$ORT_VERSION"

if [[ ! -f "$LIB" ]]; then
    echo "error: onnxruntime $ORT_VERSION installed but $LIB is missing; found:" >&2
    find "$TARGET" -name 'libonnxruntime*' >&2
    exit 1
fi
echo "$ORT_VERSION" > "$STAMP"
echo "onnxruntime $ORT_VERSION installed: $LIB"
