#!/usr/bin/env bash
# Builds every release artifact into dist/ (gitignored) and checks each one:
#   crates/    the .crate of every published crate (`cargo publish --workspace --dry-run`
#              packages and builds each, in dependency order)
#   apisign-c-<v>-linux-{x86_64,aarch64}.tar.gz   the installed C library tree (cargo-c)
#   wheels/    abi3 wheels manylinux2014 + musllinux_1_2 for x86_64 and aarch64, and the sdist
#   SHA256SUMS
# The Go module is not built here: its bundled libraries are committed (scripts/build-go-libs.sh,
# rerun here only when the version changed) and it is checked by scripts/test-go-module.sh.
# Cross builds use zig from the `ziglang` package (maturin --zig, and as the aarch64 C linker).
# Slow on two cores (see the README); CI runs only the x86_64 proofs (test-c.sh, test-go.sh,
# test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
version=$(sed -n 's/^#define APISIGN_VERSION_STRING "\(.*\)"$/\1/p' include/apisign.h)
rm -rf dist && mkdir -p dist/crates dist/wheels
t0=$(date +%s)
step() { echo "== release: $1 ($(($(date +%s) - t0)) s)"; }

# Tools from PyPI in their own venv: maturin, zig, and the wheel checkers.
tools=target/release-tools
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q --upgrade pip maturin ziglang twine auditwheel
export PATH=$PWD/$tools/bin:$PATH
rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl >/dev/null
zig="$("$tools/bin/python" -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))')/zig"

step "crates"
nice -n 5 cargo publish --workspace --dry-run --allow-dirty --quiet
# The dry run keeps its .crate files in a scratch registry; package them where they belong.
cargo package --workspace --no-verify --allow-dirty --quiet
cp target/package/*.crate dist/crates/
ls -l dist/crates

step "C library, x86_64 (cargo-c)"
stage=$PWD/target/release-stage
rm -rf "$stage"
scripts/install-c.sh "$stage/apisign-c-$version-linux-x86_64"
tar -czf "dist/apisign-c-$version-linux-x86_64.tar.gz" -C "$stage" "apisign-c-$version-linux-x86_64"
scripts/test-c-install.sh "dist/apisign-c-$version-linux-x86_64.tar.gz"

step "C library, aarch64 (cargo-c, zig as the linker)"
cc_arm=$PWD/target/zig-cc-aarch64
printf '#!/bin/sh\nexec "%s" cc -target aarch64-linux-gnu.2.17 "$@"\n' "$zig" >"$cc_arm"
chmod +x "$cc_arm"
CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=$cc_arm APISIGN_C_TARGET=aarch64-unknown-linux-gnu \
  scripts/install-c.sh "$stage/apisign-c-$version-linux-aarch64"
arm=$stage/apisign-c-$version-linux-aarch64/lib
readelf -h "$arm/libapisign.so" | grep -q 'AArch64'
readelf -d "$arm/libapisign.so" | grep -q 'SONAME.*libapisign.so'
tar -czf "dist/apisign-c-$version-linux-aarch64.tar.gz" -C "$stage" "apisign-c-$version-linux-aarch64"

step "Go bundled libraries"
grep -qx "version $version" go/lib/manifest.txt || scripts/build-go-libs.sh
scripts/test-go-module.sh

step "Python: sdist and four abi3 wheels (zig)"
maturin sdist -o dist/wheels >/dev/null
for target in x86_64-unknown-linux-gnu:manylinux2014 aarch64-unknown-linux-gnu:manylinux2014 \
  x86_64-unknown-linux-musl:musllinux_1_2 aarch64-unknown-linux-musl:musllinux_1_2; do
  nice -n 5 maturin build --release -q --zig --target "${target%%:*}" --compatibility "${target#*:}" -o dist/wheels
done
twine check --strict dist/wheels/*
for tag in manylinux_2_17_x86_64 manylinux_2_17_aarch64 musllinux_1_2_x86_64 musllinux_1_2_aarch64; do
  whl=$(ls dist/wheels/apisign-"$version"-cp310-abi3-*"${tag#*linux_}"*.whl | grep "${tag%%_*}")
  # (not piped into grep -q: pipefail would see tee's SIGPIPE)
  if shown=$(auditwheel show "$whl" 2>&1); then
    echo "$shown"
    grep -q "\"$tag\"" <<<"$shown" || { echo "$whl: not $tag" >&2; exit 1; }
  else
    # auditwheel 6.8 on a glibc host crashes looking for musl's libc (a non-ELF file on its
    # path); check what it would: the wheel's tag and that the extension needs musl's libc.
    arch=${tag#musllinux_1_2_}
    python3 - "$whl" "$tag" "$arch" <<'PY'
import subprocess, sys, tempfile, zipfile
whl, tag, arch = sys.argv[1:]
z = zipfile.ZipFile(whl)
wheel = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
assert f"Tag: cp310-abi3-{tag}" in wheel, wheel
so = next(n for n in z.namelist() if n.endswith(".so"))
with tempfile.NamedTemporaryFile(suffix=".so") as f:
    f.write(z.read(so)); f.flush()
    dyn = subprocess.run(["readelf", "-d", f.name], capture_output=True, text=True, check=True).stdout
assert f"libc.musl-{arch}.so.1" in dyn, f"{so} does not link musl libc by its Alpine name libc.musl-{arch}.so.1:\n{dyn}"
print(f"{whl}: tag {tag}, {so} needs libc.musl-{arch}.so.1 (auditwheel could not run)")
PY
  fi
done
venv=target/release-venv
rm -rf "$venv" && python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q dist/wheels/apisign-"$version"-cp310-abi3-manylinux2014_x86_64*.whl
"$venv/bin/python" -c 'import apisign; assert apisign.__version__ == "'"$version"'"; print("wheel imports:", apisign.__file__)'

step "checksums"
(cd dist && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum >SHA256SUMS)
cat dist/SHA256SUMS
du -sh dist
step "done"
