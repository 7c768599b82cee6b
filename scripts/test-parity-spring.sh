#!/usr/bin/env bash
# Differential test: the JetLinks param string apisign signs against what Spring itself
# produces (spring-web 5.2, which JetLinks servers run, and 6.2 for information) on ~160 000
# generated and hand-picked requests. See tests/parity/spring/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v javac >/dev/null || need_apt+=(default-jdk-headless)
command -v mvn >/dev/null || need_apt+=(maven)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test-parity: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spring=tests/parity/spring

cargo build --quiet --features fuzzing --example spring_parity
example=target/debug/examples/spring_parity
"$example" corpus "$work/corpus.tsv"

for profile in spring5 spring6; do
  # Maven downloads the jars (into ~/.m2, reused by later runs) and prints the classpath.
  mvn -q -B -f "$spring/pom.xml" -P "$profile" dependency:build-classpath \
    -Dmdep.outputFile="$work/$profile.cp" >"$work/$profile.mvn.log" 2>&1 \
    || { cat "$work/$profile.mvn.log"; exit 1; }
  mkdir -p "$work/$profile"
  javac -encoding UTF-8 -cp "$(cat "$work/$profile.cp")" -d "$work/$profile" \
    "$spring"/src/main/java/apisign/parity/*.java
  java -cp "$work/$profile:$(cat "$work/$profile.cp")" apisign.parity.SpringParity \
    "$work/corpus.tsv" "$work/$profile.out"
done

"$example" compare "$work/corpus.tsv" "$work/spring5.out" "$work/spring6.out"
