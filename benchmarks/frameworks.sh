#!/usr/bin/env bash
# Sluice under LangChain4j and under Spring AI against each framework's own Anthropic model
# (issue #57), with RealContentRun: the realistic text stream served by a BenchServer in its own
# process, each client in fresh JVMs (alternating, 3 rounds of 50 streams), events/s, CPU and bytes
# per event, time to first event; then, in the same child, the cancel-to-close trials against a
# second, paced BenchServer that holds back its first byte 1 s (CancelTrials: cancel after 20
# partials, and 200 ms after the call, before the first byte; the close as that server sees it).
#
# Spring AI 2.0.1's Anthropic model runs on the official SDK's core 2.52.0 and not on 3.x, which the
# benchmarks' SDK comparison uses: the two Spring AI clients' children get the class path without
# the 3.x SDK and with that core (target/spring-ai-sdk, copied by the build).
#
#   benchmarks/frameworks.sh           the real run (about 12 minutes on 2 cores; on a quiet machine)
#   benchmarks/frameworks.sh --smoke   a few streams of each, only to check that everything runs
#   benchmarks/frameworks.sh --clients lc4j,sluice-lc4j   one framework's pair only (x own needs both)
# The raw output goes to benchmarks/target/results/frameworks-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=lc4j,sluice-lc4j,sai,sluice-sai
smoke=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=(--smoke) ;;
    --clients) clients=$2; shift ;;
    *) echo "usage: $0 [--smoke] [--clients lc4j,sluice-lc4j,sai,sluice-sai]" >&2; exit 2 ;;
  esac
  shift
done
args=(--content realtext --clients "$clients" --cancel-trials 10 "${smoke[@]}")

out=benchmarks/target/results
mkdir -p "$out"
file=$out/frameworks-$(date +%Y%m%d-%H%M%S).txt
./build mvn -q -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/frameworks.cp" >&2
. benchmarks/java.sh

cp="$PWD/benchmarks/target/classes:$(cat "$out/frameworks.cp")"
sai_cp="$PWD/benchmarks/target/classes:$(tr ':' '\n' < "$out/frameworks.cp" | grep -v '/com/anthropic/' | paste -sd:)"
sai_cp="$sai_cp:$(ls "$PWD"/benchmarks/target/spring-ai-sdk/anthropic-java-core-*.jar)"

{
  echo "# Sluice under LangChain4j and Spring AI vs each framework's own Anthropic model$([ ${#smoke[@]} -gt 0 ] && echo ' (SMOKE RUN, not a measurement)')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
  echo "load before: $(uptime)"
  echo "command: benchmarks/frameworks.sh  =  java RealContentRun ${args[*]} --child-cp-for sai=SAI_CP --child-cp-for sluice-sai=SAI_CP"
  echo
} | tee "$file"
"$JAVA" -cp "$cp" dev.sluice.benchmarks.RealContentRun "${args[@]}" --child-cp "$cp" \
  --child-cp-for sai="$sai_cp" --child-cp-for sluice-sai="$sai_cp" 2> >(tee "$file.err" >&2) | tee -a "$file"
echo "load after: $(uptime)" | tee -a "$file"
echo "raw output: $file (the children's log and per-thread CPU: $file.err)" >&2
