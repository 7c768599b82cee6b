#!/usr/bin/env bash
# Go binding: builds the C library from this tree and links it (-tags apisign_system, through
# pkg-config), then go vet, go test -race (every vector, error paths, RoundTripper end-to-end
# against httptest servers) and a short benchmark run (cgo vs pure Go; figures are measured by
# hand with a longer -benchtime, see README). Then the bundled libraries users link by default
# (go/lib/): their version and checksums, and the install proof scripts/test-go-module.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# The machine image ships Go in /usr/local/go; a login shell may not have it on PATH.
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
if ! command -v go >/dev/null; then
  echo "test-go: apt-get install golang-go"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go gcc >/dev/null
fi
go version
# The middleware tests start redis-server processes (single and a three-master cluster).
if ! command -v redis-server >/dev/null; then
  echo "test-go: apt-get install redis-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

scripts/build-c.sh
cd go
export CGO_ENABLED=1
test -z "$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting" >&2; exit 1; }
export PKG_CONFIG_PATH=$PWD/../target/c LD_LIBRARY_PATH=$PWD/../target/c/lib
go vet -tags apisign_system ./...
go test -tags apisign_system -race -count=1 ./...
go test -tags apisign_system -run '^$' -bench . -benchtime 200ms ./...

echo "== bundled libraries (the default build)"
go vet ./...
go test -count=1 -v -run 'TestBundledLibrariesMatchTheCrate|TestVersionMatchesCargoToml' . | grep -E '^(--- |ok|FAIL)'
cd ..
scripts/test-go-module.sh
echo "Go stage passed"
