#!/usr/bin/env bash
# Regenerate include/apisign.h and the Go module's copy (go/include/apisign.h) from capi/src/
# with the pinned cbindgen library (the same code the staleness test in capi/tests/header.rs
# runs, so they can never disagree).
set -euo pipefail
cd "$(dirname "$0")/.."
APISIGN_UPDATE_HEADER=1 cargo test --quiet -p apisign-capi --test header
echo "wrote include/apisign.h go/include/apisign.h"
