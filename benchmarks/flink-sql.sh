#!/usr/bin/env bash
# ML_PREDICT in Flink SQL (issue #72): one query on a MiniCluster (Flink 2.3.0, a fresh JVM per
# run) against the test kit's fake server in its own process (FakeServerMain: a fixed latency per
# call, a triage answer per ticket), through Flink's own `openai` model provider (flink-model-openai
# 2.3.0, Chat Completions without streaming) and through Sluice's `'provider' = 'sluice'` (the same
# model on the fake's OpenAI route, streamed), at the same max-concurrent-operations; then the same
# against a second fake that answers every 4th call 429 with retry-after-ms; and, at C = 5 (what
# Flink's provider reaches: its OkHttp client keeps at most 5 calls to a host in flight), half the
# rows against the first, so both run at the same rate and their CPU per row compares like for
# like. Runs alternate between
# the providers; each prints rows/s (first row to last), the process's CPU per row and heap
# (FlinkSqlRun), and this script adds what the fake saw: its CPU while the run lasted, and each
# busy period's requests and the most it had in flight at once.
#
#   benchmarks/flink-sql.sh                      1000 rows a run (200 warm-up), C = 50, latency 200 ms, retry-after 500 ms
#   benchmarks/flink-sql.sh --smoke              200 rows, only to check that everything runs
#   benchmarks/flink-sql.sh --providers openai   one provider (openai, sluice; default both)
#   benchmarks/flink-sql.sh --scenarios equal    some of the scenarios (plain, limited, equal; default all)
#   benchmarks/flink-sql.sh --jfr                each run's JVM records a JFR profile next to the output
#   environment: ROWS, WARMUP, CONCURRENCY, EQUAL_CONCURRENCY, LATENCY_MS, RETRY_AFTER_MS, EXTRA_CP (jars put first
#   on the runs' class path), MVN_ARGS (e.g. -o -Dmaven.repo.local=...)
# The raw output goes to benchmarks/target/results/flink-sql-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${ROWS:-1000}; warmup=${WARMUP:-200}; concurrency=${CONCURRENCY:-50}; equal_concurrency=${EQUAL_CONCURRENCY:-5}
latency=${LATENCY_MS:-200}; retry_after=${RETRY_AFTER_MS:-500}; every=4
providers=openai,sluice; scenarios=plain,limited,equal; smoke=""; jfr=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) rows=200; warmup=50; smoke=" (SMOKE RUN, not a measurement)" ;;
    --providers) providers=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --jfr) jfr=1 ;;
    *) echo "usage: $0 [--smoke] [--providers openai,sluice] [--scenarios plain,limited,equal] [--jfr]" >&2; exit 2 ;;
  esac
  shift
done

out=benchmarks/target/results
mkdir -p "$out"
stamp=$(date +%Y%m%d-%H%M%S)
file=$out/flink-sql-$stamp.txt
./build mvn -q -DskipTests -pl benchmarks/flink-sql -am package dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/flink-sql.cp" ${MVN_ARGS:-} >&2
. benchmarks/java.sh
# flink-model-openai is copied alone to target/lib (its POM's parent is not on Maven Central)
cp="${EXTRA_CP:+$EXTRA_CP:}$PWD/benchmarks/flink-sql/target/classes:$(cat "$out/flink-sql.cp"):$(ls "$PWD"/benchmarks/flink-sql/target/lib/*.jar | tr '\n' ':')"
# what Flink's launch scripts open on Java 17+
opens="--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
start_server() { # NAME ARGS...: starts a FakeServerMain, sets port
  local name=$1; shift
  "$JAVA" -Xmx512m -cp "$cp" dev.sluice.benchmarks.flinksql.FakeServerMain "$@" > "$out/flink-sql-$name.out" 2>&1 &
  pids+=($!); eval "${name}_pid=$!"
  for _ in $(seq 1 100); do grep -q '^port ' "$out/flink-sql-$name.out" 2>/dev/null && break; sleep 0.1; done
  eval "${name}_port=$(sed -n 's/^port //p' "$out/flink-sql-$name.out")"
  [ -n "$(eval echo "\$${name}_port")" ] || { echo "error: the fake server did not start: $(cat "$out/flink-sql-$name.out")" >&2; exit 1; }
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start_server plain "$latency"
start_server limited "$latency" "$every" "$retry_after"

{
  echo "# ML_PREDICT in Flink SQL: Flink's own openai provider and Sluice's$smoke"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
  echo "flink: 2.3.0 (flink-table-planner-loader, MiniCluster in the run's JVM, parallelism 1, restart-strategy none), flink-model-openai 2.3.0"
  echo "load before: $(uptime)"
  echo "command: benchmarks/flink-sql.sh$([ -n "$smoke" ] && echo ' --smoke') --providers $providers --scenarios $scenarios$([ -n "$jfr" ] && echo ' --jfr')  =  java FakeServerMain $latency & java FakeServerMain $latency $every $retry_after &"
  echo "         java -Xmx1g FlinkSqlRun --provider P --base-url URL --rows $rows --warmup $warmup --concurrency $concurrency --latency-ms $latency [--rate-limit-every $every --retry-after-ms $retry_after]"
  echo "         (equal: --rows $((rows / 2)) --warmup $((warmup / 2)) --concurrency $equal_concurrency against the first server)"
  echo "scenario: $rows support tickets (datagen ids, TICKET(id) prompts), ML_PREDICT(..., MAP['async','true','max-concurrent-operations',C,'output-mode','ALLOW_UNORDERED','timeout','3 min']),"
  echo "          rows collected and checked (each id once, a non-empty answer); the fake answers each call after $latency ms (a triage answer of 28-38 words,"
  echo "          a word a delta when streamed); 'limited': every ${every}th call a 429 at once with retry-after-ms $retry_after;"
  echo "          'equal': max-concurrent-operations $equal_concurrency"
  echo
} | tee "$file"

for scenario in ${scenarios//,/ }; do
  server=$scenario; c=$concurrency; n=$rows; w=$warmup; extra=""
  case $scenario in
    limited) extra="--rate-limit-every $every --retry-after-ms $retry_after" ;;
    equal) server=plain; c=$equal_concurrency; n=$((rows / 2)); w=$((warmup / 2)) ;;
  esac
  port=$(eval echo "\$${server}_port"); spid=$(eval echo "\$${server}_pid")
  for provider in ${providers//,/ }; do
    jfropt=""; [ -n "$jfr" ] && jfropt="-XX:StartFlightRecording=filename=$out/flink-sql-$stamp-$scenario-$provider.jfr,settings=profile"
    echo "## $scenario, $provider" | tee -a "$file"
    before=$(cpu_ticks "$spid"); lines=$(wc -l < "$out/flink-sql-$server.out")
    # shellcheck disable=SC2086
    timeout 900 "$JAVA" -Xmx1g $opens $jfropt -Dlog4j2.level=warn -cp "$cp" dev.sluice.benchmarks.flinksql.FlinkSqlRun \
      --provider "$provider" --base-url "http://127.0.0.1:$port" --rows "$n" --warmup "$w" --concurrency "$c" \
      --latency-ms "$latency" $extra 2> "$out/flink-sql-$stamp-$scenario-$provider.err" | tee -a "$file" || echo "exit status $? (stderr: $out/flink-sql-$stamp-$scenario-$provider.err)" | tee -a "$file"
    echo "fake server CPU during the run (warm-up and measured): $(( ($(cpu_ticks "$spid") - before) * 1000 / $(getconf CLK_TCK) )) ms" | tee -a "$file"
    sleep 1.5 # the server reports a busy period after a second without requests
    tail -n +"$((lines + 1))" "$out/flink-sql-$server.out" | sed 's/^/fake server: /' | tee -a "$file"
  done
done
echo "load after: $(uptime)" | tee -a "$file"
echo "raw output: $file" >&2
