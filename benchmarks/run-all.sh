#!/usr/bin/env bash
# Runs every client-comparison benchmark of issue #7 and writes the results to
# benchmarks/target/results/<timestamp>/ (summary.txt has everything):
#   1. JMH ClientThroughputBenchmark (text, realtext, tool, realtool streams) with -prof gc:
#      events/s, bytes/event
#   2. JMH FirstEventBenchmark: warm time to the first event (sample time and average)
#   3. FreshJvmFirstEvent: a fresh JVM's time to the first event, per client
#   4. ConcurrencyRun: C = 1,000 / 5,000 / 10,000 paced streams per client, one process each,
#      against a paced BenchServer in its own process; each cold and after a warm-up (the SDK not
#      at 10,000: its OkHttp dispatcher runs 64 requests at a time, so that run takes minutes);
#      every case several times, the clients alternating, and the medians compared (one run's wall
#      time moves by +-15-30 % on 2 cores: a single pair of runs cannot tell 1.1x from 1.3x)
#   5. footprint.sh: runtime jars and sizes, Sluice vs the SDK
#   6. RealContentRun (issue #15): the realistic text and tool streams, the server in its own
#      process, each client in fresh JVMs (alternating, 3 rounds of 50 streams): stream 1, streams
#      2-10, steady state, CPU per stream, bytes per event, events to 90 % of the steady rate; with
#      floor2 beside them (the least work that hands each delta's string from a reading thread to
#      the caller: the lower bound of Sluice's threading)
#
#   benchmarks/run-all.sh           the real run (about 45 minutes; on a quiet machine)
#   benchmarks/run-all.sh --smoke   a few seconds of each, only to check that everything runs
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
if [ $smoke = 1 ]; then
  jmh_args=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  fresh_runs=2
  concurrency=(100 500)
  warmup=100
  repeats=1
  throughput_forks=()
  real_args=(--smoke --clients sluice,sdk,raw,floor2)
else
  jmh_args=()
  fresh_runs=20
  concurrency=(1000 5000 10000)
  warmup=1000
  repeats=5
  # Three forks: a fork's JIT settles on one of a few compilations of the hot path, and the
  # sluice/raw ratio moved by 0.1-0.2 between single forks on this machine.
  throughput_forks=(-f 3)
  real_args=(--clients sluice,sdk,raw,floor2)
fi
clients=(sluice sdk raw)

out=benchmarks/target/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

# Build once (the library and this module; the examples are not needed), and write the fresh-JVM
# class path in the same reactor run: the library resolves to lib/target's jar just built, never
# to a copy installed in ~/.m2 earlier (nothing is installed). Then find the JDK ./build uses.
./build mvn -q -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/benchmarks.cp" >&2
. benchmarks/java.sh
summary=$out/summary.txt
log() { echo "$@" | tee -a "$summary"; }

# 10,000 concurrent streams need about 10,000 sockets in the client process and as many in the
# server process: raise the soft open-files limit to the hard one.
ulimit -n "$(ulimit -Hn)" || true

log "# Sluice client benchmarks ($([ $smoke = 1 ] && echo SMOKE RUN, not a measurement || echo full run))"
log "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}')"
log "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
log "open files limit: $(ulimit -n); ephemeral ports: $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null | tr '\t' '-'); somaxconn: $(cat /proc/sys/net/core/somaxconn 2>/dev/null); tcp_tw_reuse: $(cat /proc/sys/net/ipv4/tcp_tw_reuse 2>/dev/null)"
log ""

jar=benchmarks/target/benchmarks.jar
log "## 1. Throughput (events/s; bytes/event = gc.alloc.rate.norm)"
"$JAVA" -jar $jar ClientThroughputBenchmark "${jmh_args[@]}" "${throughput_forks[@]}" -prof gc -rf json -rff "$out/throughput.json" \
  | tee "$out/throughput.txt" | sed -n '/^Benchmark/,$p' | grep -E '^Benchmark|ops/s|alloc.rate.norm' | tee -a "$summary"
log ""
log "## 2. Warm time to first event (us/op)"
"$JAVA" -jar $jar FirstEventBenchmark "${jmh_args[@]}" -rf json -rff "$out/first-event.json" \
  | tee "$out/first-event.txt" | sed -n '/^Benchmark/,$p' | grep -E '^Benchmark|p0.50|p0.99|avgt' | tee -a "$summary"
log ""

log "## 3. Fresh JVM to first event"
"$JAVA" -cp $jar dev.sluice.benchmarks.FreshJvmFirstEvent --runs $fresh_runs \
  --child-cp "benchmarks/target/classes:$(cat "$out/benchmarks.cp")" 2>&1 | tee -a "$summary"
log ""

log "## 4. Concurrency (paced: 50 events 20 ms apart per stream; -Xmx1g per client process)"
"$JAVA" -cp $jar dev.sluice.benchmarks.BenchServer --stream paced > "$out/server.out" 2> "$out/server.err" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$out/server.out" ] && break; sleep 0.1; done
url=$(head -n1 "$out/server.out")
[ -n "$url" ] || { log "error: the paced server did not start: $(cat "$out/server.err")"; exit 1; }
# Each (client, C) cold (the burst right after the client is built: JIT warm-up included) and warm
# (after a warm-up of $warmup streams: the steady state of a long-running process), $repeats times
# with the clients alternating (the SDK only once per case: it is far from the targets either way).
for c in "${concurrency[@]}"; do
  for w in 0 $warmup; do
    for r in $(seq 1 $repeats); do
      for client in "${clients[@]}"; do
        if [ "$client" = sdk ] && { [ "$c" -ge 10000 ] || [ "$r" -gt 1 ]; }; then
          [ "$r" = 1 ] && log "client=sdk streams=$c warmup=$w: not run (OkHttp's dispatcher runs 64 requests at a time: minutes)"
          continue
        fi
        "$JAVA" -Xmx1g -cp $jar dev.sluice.benchmarks.ConcurrencyRun --client "$client" --streams "$c" --warmup "$w" --url "$url" \
          2> "$out/concurrency-$client-$c-$w-$r.err" | tee -a "$out/concurrency.txt" "$summary" \
          || log "client=$client streams=$c warmup=$w: the process failed, see $out/concurrency-$client-$c-$w-$r.err"
      done
    done
  done
done
kill $server_pid 2>/dev/null || true
log ""
log "### Concurrency medians over the runs above (wall in s; ratio = sluice's median wall / raw's)"
benchmarks/concurrency-summary.sh "$out/concurrency.txt" | tee -a "$summary"
log ""

log "## 5. Runtime footprint"
benchmarks/footprint.sh 2>/dev/null | tee "$out/footprint.md" | tail -n 2 | tee -a "$summary"
log ""

log "## 6. Real content, fresh JVMs, the server in its own process (RealContentRun)"
"$JAVA" -cp $jar dev.sluice.benchmarks.RealContentRun "${real_args[@]}" \
  --child-cp "benchmarks/target/classes:$(cat "$out/benchmarks.cp")" 2> "$out/real-content.err" \
  | tee "$out/real-content.txt" | tee -a "$summary" || log "RealContentRun failed, see $out/real-content.err"
log ""
log "full results in $out"
