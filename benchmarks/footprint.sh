#!/usr/bin/env bash
# Prints the runtime jars and their total size for Sluice (the library jar and its runtime
# dependencies; the same jars serve Anthropic's API and Amazon Bedrock), for the official Anthropic
# Java SDK, and for the AWS SDK for Java 2.x's Bedrock Runtime client with its Netty HTTP client
# (bedrock-sdk), each as a user of it resolves it, with its own pins.
# Needs the library jar and benchmarks.jar built (run-all.sh does that). Maven arguments (such as
# -o -Dmaven.repo.local=DIR) may be given.
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/footprint
mkdir -p "$out"
./build mvn -q "$@" -pl lib/sluice dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$PWD/$out/sluice.cp" >&2
./build mvn -q "$@" -f benchmarks/footprint/sdk-pom.xml dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$PWD/$out/sdk.cp" >&2
./build mvn -q "$@" -f benchmarks/footprint/bedrock-sdk-pom.xml dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/bedrock-sdk.cp" >&2
lib_jar=$(ls lib/sluice/target/sluice-*.jar | grep -vE 'sources|javadoc|tests' | head -n1)
. benchmarks/java.sh
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.Footprint \
  "sluice=$lib_jar:$(cat "$out/sluice.cp")" "sdk=$(cat "$out/sdk.cp")" "bedrock-sdk=$(cat "$out/bedrock-sdk.cp")"
