#!/usr/bin/env bash
# The client's floor (issue #86): Sluice on its blocking HTTP/1.1 transport and on the JDK's
# HttpClient, against the blocking raw drain (BlockingRawBenchClient: the new floor) and the
# HttpClient's raw drain (RawBenchClient), each run recorded in its own file:
#   real         RealContentRun: realtext and realtool from a BenchServer in its own process, each
#                client in fresh JVMs, rounds rotated: stream 1 (cold), streams 2-10, the steady
#                state (warm); events/s, CPU and bytes per event, and the ratios to both raw drains
#                (x raw, x blocking-raw, cpu_x_blocking-raw_steady in the RESULT lines)
#   paced        ConcurrencyRun: 10,000 paced streams opened at once (50 events 20 ms apart), one
#                process per (client, cold|warm), against a paced BenchServer in its own process
#   first-event  JMH FirstEventBenchmark: request to first event on a kept-alive connection (p50,
#                p99), sluice / sluiceJdk / blockingRaw / raw / sdk
#   converse     RealContentRun --converse: Bedrock Converse, BedrockClient (blocking and on the
#                HttpClient) against the AWS SDK's BedrockRuntimeAsyncClient and both raw drains
# Run on a quiet machine, nothing beside it.
#
#   benchmarks/transport.sh [--smoke] [--only real|paced|first-event|converse] [-- MAVEN ARGS]
# The raw output goes to benchmarks/target/results/transport-<timestamp>/<run>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/recorded-run.sh transport 'real|paced|first-event|converse' "$@"

if runs real; then
  if [ ${#smoke[@]} -gt 0 ]; then args=(--smoke); else args=(--rounds 3 --streams 30 --first 10 --steady 10); fi
  args=(--content realtext,realtool --clients sluice,sluice-jdk,raw,blocking-raw "${args[@]}")
  { header "The client against the blocking raw drain and the HttpClient's, fresh JVMs" \
      "java -cp CP dev.sluice.benchmarks.RealContentRun ${args[*]} --child-cp CP"
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.RealContentRun "${args[@]}" --child-cp "$cp" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/real.txt"
fi
if runs paced; then
  streams=10000; warmup=1000; [ ${#smoke[@]} -gt 0 ] && { streams=20; warmup=10; }
  "$JAVA" -cp "$cp" dev.sluice.benchmarks.BenchServer --stream paced > "$out/server.out" 2> "$out/server.err" &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$out/server.out" ] && break; sleep 0.1; done
  url=$(head -n1 "$out/server.out")
  [ -n "$url" ] || { echo "error: the paced server did not start: $(cat "$out/server.err")" >&2; exit 1; }
  { header "$streams paced streams opened at once, cold (no warm-up) and warm ($warmup streams first)" \
      "java -Xmx1g -cp CP dev.sluice.benchmarks.ConcurrencyRun --client CLIENT --streams $streams --warmup 0|$warmup --url URL"
    for w in 0 $warmup; do
      for client in sluice sluice-jdk raw blocking-raw; do
        "$JAVA" -Xmx1g -cp "$cp" dev.sluice.benchmarks.ConcurrencyRun --client "$client" --streams "$streams" \
          --warmup "$w" --url "$url" 2> "$out/paced-$client-$w.err" \
          || echo "client=$client warmup=$w: the process failed, see $out/paced-$client-$w.err"
      done
    done
    echo "load after: $(uptime)"; } | tee "$out/paced.txt"
  kill $server_pid 2>/dev/null || true
fi
if runs first-event; then
  jmh=(); [ ${#smoke[@]} -gt 0 ] && jmh=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  { header "First event on a kept-alive connection (JMH)" "java -jar benchmarks/target/benchmarks.jar FirstEventBenchmark ${jmh[*]}"
    "$JAVA" -jar benchmarks/target/benchmarks.jar FirstEventBenchmark "${jmh[@]}" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/first-event.txt"
fi
if runs converse; then
  if [ ${#smoke[@]} -gt 0 ]; then args=(--smoke); else args=(--rounds 3 --streams 30 --first 10 --steady 10); fi
  args=(--converse --content realtext,realtool
    --clients bedrock-sluice,bedrock-sluice-jdk,bedrock-sdk,bedrock-raw,bedrock-blocking-raw "${args[@]}")
  { header "Bedrock Converse: BedrockClient (blocking, HttpClient) vs the AWS SDK and both raw drains, fresh JVMs" \
      "java -cp CP dev.sluice.benchmarks.RealContentRun ${args[*]} --child-cp CP"
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.RealContentRun "${args[@]}" --child-cp "$cp" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/converse.txt"
fi
echo "results: $out" >&2
