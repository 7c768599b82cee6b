#!/usr/bin/env bash
# Proof that the Go module installs as a user gets it (issue #12): a new module in a temporary
# folder outside the repository requires github.com/apisign/apisign (a `replace` to a copy of the
# module's files stands in for the proxy), with no cargo or rustc on PATH and no network
# (GOPROXY=off): it builds, passes go vet and runs the conformance vectors against the bundled
# library; then the same with `go mod vendor` and -mod=vendor, the module copy removed; and a
# CGO_ENABLED=0 build fails saying cgo is required.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mod=$tmp/module app=$tmp/app
mkdir -p "$mod" "$app" "$tmp/bin" "$tmp/vectors"

# The module's files as a module zip holds them: what git tracks (plus new files not ignored),
# without symlinks (module zips drop them) or target/, .venv and other ignored build output.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -f "$f" ] && [ ! -L "$f" ] && printf '%s\0' "$f"
done | tar -cf - --null -T - | tar -xf - -C "$mod"
cp "$mod"/tests/vectors/*.json "$tmp/vectors/"

# PATH holds only the Go and C tools a Go user has; no cargo, no rustc.
for tool in go gofmt gcc cc as ld; do ln -s "$(command -v "$tool")" "$tmp/bin/$tool"; done
run() { # dir command...
  (cd "$1" && shift && env -i HOME="$tmp/home" PATH="$tmp/bin" GOPATH="$tmp/gopath" \
    GOCACHE="${GOCACHE:-$(go env GOCACHE)}" GOPROXY=off GOTOOLCHAIN=local GOFLAGS= \
    CGO_ENABLED="${CGO:-1}" "$@")
}
if run "$app" sh -c 'command -v cargo || command -v rustc' >/dev/null 2>&1; then
  echo "test-go-module: cargo or rustc is reachable on the test PATH" >&2; exit 1
fi

cat >"$app/go.mod" <<MOD
module example.com/app

go 1.24

require github.com/apisign/apisign v0.1.0

replace github.com/apisign/apisign => $mod
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
# The module's own vector test, compiled outside it against the exported API only (a dot
# import), reading the vectors copied out of the module,
mkdir "$app/conformance"
sed -e 's/^package apisign$/package conformance/' \
  -e 's|^import (|import (\n\t. "github.com/apisign/apisign/go"|' \
  -e "s|\"\\.\\./tests/vectors/|\"$tmp/vectors/|" \
  "$mod/go/vectors_test.go" >"$app/conformance/vectors_test.go"
# ... with the one helper it shares with errors_test.go.
awk '/^func wantErr\(/,/^}/' "$mod/go/errors_test.go" >>"$app/conformance/vectors_test.go"

want=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$mod/Cargo.toml" | head -1)
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

prove "module (replace to a copy)"
run "$app" go mod vendor
ls "$app"/vendor/github.com/apisign/apisign/include/apisign.h \
  "$app"/vendor/github.com/apisign/apisign/go/lib/linux_*/libapisign.a >/dev/null
mv "$mod" "$tmp/module-gone"   # -mod=vendor must need nothing but vendor/
prove "vendored (-mod=vendor, module copy removed)" -mod=vendor

if out=$(CGO=0 run "$app" go build -mod=vendor -o /dev/null . 2>&1); then
  echo "test-go-module: CGO_ENABLED=0 build succeeded" >&2; exit 1
fi
grep -q 'apisign_requires_cgo__build_with_CGO_ENABLED_1' <<<"$out" ||
  { echo "test-go-module: CGO_ENABLED=0 said: $out" >&2; exit 1; }
echo "test-go-module: CGO_ENABLED=0 fails with: $(grep -m1 requires_cgo <<<"$out")"
echo "Go module proof passed"
