#!/usr/bin/env bash
# Hedged streams (issue #59): HedgeServer (the testkit's fake server, first tokens after a
# heavy-tailed delay on fake-heavy-tail and after 150 ms on fake-first-token-150) in its own
# process, HedgeRun in a fresh JVM: N streams through a FallbackChain without hedging, N with
# Hedging.after(THRESHOLD), N on the second target alone; time to first content, share hedged,
# extra tokens, and each loser's connection closed as the server saw it.
#
#   benchmarks/hedging.sh                      1000 streams per run, 8 at a time, threshold 800 ms
#   benchmarks/hedging.sh --smoke              50 streams, only to check that everything runs
# The raw output goes to benchmarks/target/results/hedging-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

streams=1000
smoke=""
case "${1:-}" in
  --smoke) streams=50; smoke=" (SMOKE RUN, not a measurement)" ;;
  "") ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac
concurrency=8
threshold=800

out=benchmarks/target/results
mkdir -p "$out"
file=$out/hedging-$(date +%Y%m%d-%H%M%S).txt
./build mvn -q -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/hedging.cp" ${MVN_ARGS:-} >&2
. benchmarks/java.sh
cp="$PWD/benchmarks/target/classes:$(cat "$out/hedging.cp")"

closes=$out/hedging-closes.log
"$JAVA" -cp "$cp" dev.sluice.benchmarks.HedgeServer "$closes" > "$out/hedging-server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q '^port ' "$out/hedging-server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^port //p' "$out/hedging-server.out")
[ -n "$port" ] || { echo "error: the server did not start: $(cat "$out/hedging-server.out")" >&2; exit 1; }

{
  echo "# Hedged streams: time to first content without and with hedging$smoke"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
  echo "load before: $(uptime)"
  echo "command: benchmarks/hedging.sh$([ -n "$smoke" ] && echo ' --smoke')  =  java HedgeServer CLOSE_LOG & java HedgeRun http://127.0.0.1:PORT CLOSE_LOG $streams $concurrency $threshold"
  echo "scenario: first target anthropic:fake-heavy-tail (first token 97.5% log-normal around 250 ms, 2.5% Pareto from 1 s, shape 1.5, at most 30 s),"
  echo "          second openai:fake-first-token-150 (150 ms), both answers at once after the first token; fake server in its own JVM"
  echo
} | tee "$file"
"$JAVA" -cp "$cp" dev.sluice.benchmarks.HedgeRun "http://127.0.0.1:$port" "$closes" "$streams" "$concurrency" "$threshold" \
  2> >(tee "$file.err" >&2) | tee -a "$file"
echo "load after: $(uptime)" | tee -a "$file"
echo "raw output: $file" >&2
