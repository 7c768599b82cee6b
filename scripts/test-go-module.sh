#!/usr/bin/env bash
# Proof that the Go module installs as a user gets it (issue #12). The module is the go/ folder
# (module github.com/apisign/apisign/go, tags go/vX.Y.Z). Outside the repository:
#  1. publish: a git repository holding the go/ folder's files is tagged go/v<version>, and Go
#     itself fetches it (GOPROXY=direct, the GitHub URL redirected to it by git's insteadOf) and
#     makes the module zip by its own rules: the tree of a module proxy, which step 2 serves.
#  2. a new module in a fresh GOPATH runs `go get github.com/apisign/apisign/go@v<version>` from
#     that proxy (GOPROXY=file://…), with no cargo or rustc on PATH: it builds, passes go vet and
#     runs the conformance vectors against the bundled library; the same with -tags
#     apisign_system (the C library of scripts/build-c.sh through pkg-config); then with
#     `go mod vendor` and -mod=vendor, the module cache removed and GOPROXY=off; and a
#     CGO_ENABLED=0 build fails saying cgo is required.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
[ -f target/c/apisign.pc ] || scripts/build-c.sh >/dev/null

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
repo=$tmp/repo app=$tmp/app
mkdir -p "$repo" "$app" "$tmp/bin" "$tmp/vectors" "$tmp/home"
cp tests/vectors/*.json "$tmp/vectors/"
want=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
path=github.com/apisign/apisign/go

# PATH holds only the tools a Go user has: Go, a C toolchain, git, pkg-config; no cargo, rustc.
for tool in go gofmt gcc cc as ld git pkg-config; do ln -s "$(command -v "$tool")" "$tmp/bin/$tool"; done
run() { # dir command...   (extra environment in the array env_extra)
  (cd "$1" && shift && env -i HOME="$tmp/home" PATH="$tmp/bin" GOPATH="${GOPATH_RUN:-$tmp/gopath}" \
    GOCACHE="${GOCACHE:-$(go env GOCACHE)}" GOTOOLCHAIN=local GOFLAGS= GOSUMDB=off \
    CGO_ENABLED="${CGO:-1}" "${env_extra[@]}" "$@")
}
env_extra=(GOPROXY=off)
if run "$app" /bin/sh -c 'command -v cargo || command -v rustc' >/dev/null 2>&1; then
  echo "test-go-module: cargo or rustc is reachable on the test PATH" >&2; exit 1
fi

# 1. publish: the go/ folder as git tracks it (plus new files not ignored), tagged as released.
git ls-files -z --cached --others --exclude-standard go | while IFS= read -r -d '' f; do
  [ -f "$f" ] && printf '%s\0' "$f"
done | tar -cf - --null -T - | tar -xf - -C "$repo"
git -C "$repo" init -q && git -C "$repo" add -A
git -C "$repo" -c user.name=release -c user.email=release@localhost commit -qm "release $want"
git -C "$repo" tag "go/v$want"
printf '[url "file://%s"]\n\tinsteadOf = https://github.com/apisign/apisign\n' "$repo" >"$tmp/gitconfig"
env_extra=(GOPROXY=direct "GIT_CONFIG_GLOBAL=$tmp/gitconfig")
GOPATH_RUN=$tmp/proxy-gopath run "$tmp" go mod download -x "$path@v$want" >"$tmp/download.log" 2>&1 ||
  { cat "$tmp/download.log" >&2; exit 1; }
grep -m1 -o 'git .*fetch.*refs/tags/go/v[^ ]*' "$tmp/download.log"
proxy=$tmp/proxy-gopath/pkg/mod/cache/download
ls "$proxy/$path/@v/v$want.zip" >/dev/null
echo "test-go-module: published $path@v$want (tag go/v$want): $(du -k "$proxy/$path/@v/v$want.zip" | cut -f1) KiB zip"

# 2. the user's module, from the proxy.
env_extra=("GOPROXY=file://$proxy")
cat >"$app/go.mod" <<MOD
module example.com/app

go 1.24
MOD
cat >"$app/main.go" <<'GO'
// A user's program: prints the version of the library it linked.
package main

import (
	"fmt"

	apisign "github.com/apisign/apisign/go"
)

func main() { fmt.Println(apisign.Version()) }
GO
run "$app" go get "$path@v$want"
grep -q "require $path v$want" "$app/go.mod"
got=$tmp/gopath/pkg/mod/$path@v$want
# The module's own vector test, compiled outside it against the exported API only (a dot
# import), reading the vectors copied from the repository,
mkdir "$app/conformance"
sed -e 's/^package apisign$/package conformance/' \
  -e "s|^import (|import (\n\t. \"$path\"|" \
  -e "s|\"\\.\\./tests/vectors/|\"$tmp/vectors/|" \
  "$got/vectors_test.go" >"$app/conformance/vectors_test.go"
# ... with the one helper it shares with errors_test.go.
awk '/^func wantErr\(/,/^}/' "$got/errors_test.go" >>"$app/conformance/vectors_test.go"

prove() { # label go-flags...
  local label=$1; shift
  run "$app" go build "$@" -o "$tmp/app-bin" .
  run "$app" go vet "$@" .
  # (the copied test writes Header{name, value} unkeyed, which vet flags only outside the package)
  run "$app" go vet "$@" -composites=false ./conformance
  out=$(run "$app" "$tmp/app-bin")
  grep -qx "$want" <<<"$out" || { echo "$label: program printed: $out" >&2; exit 1; }
  run "$app" go test "$@" -count=1 -v -run TestEveryVector ./conformance |
    tee "$tmp/test.log" | grep -E '^(--- |ok|FAIL)'
  grep -q '^--- PASS: TestEveryVector' "$tmp/test.log"
  echo "test-go-module: $label: build, vet, program, vectors passed"
}

prove "go get from a module proxy"
# A system-installed library instead of the bundled one (pkg-config; here scripts/build-c.sh's).
env_extra+=("PKG_CONFIG_PATH=$PWD/target/c" "LD_LIBRARY_PATH=$PWD/target/c/lib")
prove "-tags apisign_system (pkg-config)" -tags apisign_system
LD_LIBRARY_PATH=$PWD/target/c/lib ldd "$tmp/app-bin" | grep -q "$PWD/target/c/lib/libapisign.so" ||
  { echo "test-go-module: -tags apisign_system did not link target/c/lib/libapisign.so" >&2; exit 1; }

env_extra=(GOPROXY=off)
run "$app" go mod vendor
ls "$app/vendor/$path/include/apisign.h" "$app/vendor/$path"/lib/linux_*/libapisign.a >/dev/null
chmod -R u+w "$tmp/gopath/pkg/mod" && rm -rf "$tmp/gopath/pkg/mod" "$tmp/proxy-gopath"
prove "vendored (-mod=vendor, module cache and proxy removed)" -mod=vendor

if out=$(CGO=0 run "$app" go build -mod=vendor -o /dev/null . 2>&1); then
  echo "test-go-module: CGO_ENABLED=0 build succeeded" >&2; exit 1
fi
grep -q 'apisign_requires_cgo__build_with_CGO_ENABLED_1' <<<"$out" ||
  { echo "test-go-module: CGO_ENABLED=0 said: $out" >&2; exit 1; }
echo "test-go-module: CGO_ENABLED=0 fails with: $(grep -m1 requires_cgo <<<"$out")"
echo "Go module proof passed"
