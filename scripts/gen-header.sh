#!/usr/bin/env bash
# Regenerate the C header go/include/apisign.h (include/ links to go/include/: the header must be
# inside the Go module, which is the go/ folder) from capi/src/ with the pinned cbindgen library
# (the same code the staleness test in capi/tests/header.rs runs, so they can never disagree).
set -euo pipefail
cd "$(dirname "$0")/.."
APISIGN_UPDATE_HEADER=1 cargo test --quiet -p apisign-capi --test header
echo "wrote go/include/apisign.h (include/apisign.h)"
