#!/usr/bin/env bash
# Prints the runtime jars and their total size for Sluice (the library jar and its runtime
# dependencies) and for the official Java SDK (as a user of it resolves it, with its own pins).
# Needs the library jar and benchmarks.jar built (run-all.sh does that).
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/footprint
mkdir -p "$out"
./build mvn -q -pl lib dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$PWD/$out/sluice.cp" >&2
./build mvn -q -f benchmarks/footprint/sdk-pom.xml dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$PWD/$out/sdk.cp" >&2
lib_jar=$(ls lib/target/sluice-*.jar | grep -vE 'sources|javadoc|tests' | head -n1)
. benchmarks/java.sh
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.Footprint \
  "sluice=$lib_jar:$(cat "$out/sluice.cp")" "sdk=$(cat "$out/sdk.cp")"
