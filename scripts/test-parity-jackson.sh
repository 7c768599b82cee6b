#!/usr/bin/env bash
# Differential test against Jackson: the linksfield v2 message of ~3000 generated and
# hand-picked JSON bodies, built by tests/parity/jackson/JacksonMessage.java with Jackson (as
# the platform's Java clients build it) and by apisign, must be byte-identical
# (tests/parity_jackson.rs). Installs a JDK and Maven if missing; Maven fetches Jackson.
# PARITY_COUNT / PARITY_SEED change the generated set.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null || need+=(default-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-parity-jackson: apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

src=tests/parity/jackson
out=$PWD/target/parity-jackson
mkdir -p "$out/classes"

echo "== fetch Jackson (Maven Central)"
mvn -q -B -Dstyle.color=never -f "$src/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" "$src/JacksonMessage.java"

echo "== generate bodies; Jackson builds their messages ($(java -version 2>&1 | head -1))"
python3 "$src/gen_bodies.py" "$out" "${PARITY_COUNT:-3000}" "${PARITY_SEED:-20261130}"
for set in bodies known; do
  java -cp "$out/classes:$cp" JacksonMessage <"$out/$set.txt" >"$out/$set.java.txt"
done

echo "== apisign builds the same messages"
APISIGN_PARITY_DIR="$out" cargo test --quiet --all-features --test parity_jackson -- --ignored --nocapture
