#!/usr/bin/env bash
# Cold start (issue #33, #34): from a process's spawn to the first byte it prints, for
# `sluice stream` (the tool's jar) and for ColdStartHttpClient (the JDK's HttpClient and nothing
# else, doing the same request), each without and with a JDK 25 AOT cache trained for it, against
# the fake server in its own process. Runs alternate; medians over RUNS (default 15).
#
#   benchmarks/cold-start.sh [RUNS]      (after ./build tool and a build of the benchmarks jar)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
java_home=$(./build jdk)
java=$java_home/bin/java
tool=lib/cli/target/sluice.jar
work=$(mktemp -d)
trap 'kill $fake_pid 2>/dev/null; rm -rf "$work"' EXIT

"$java" -jar "$tool" serve-fake --port 0 --tokens-per-second 0 > "$work/fake.out" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do grep -q 'http://127.0.0.1:' "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
# an AOT cache takes jar files only: the baseline's one class goes into a jar of its own
plain_jar=$work/plain.jar
(cd benchmarks/target/classes && "$java_home/bin/jar" cf "$plain_jar" dev/sluice/benchmarks/ColdStartHttpClient.class)
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/fake.out" | head -n1)
prompt="Tell me how rivers shape the land."

sluice_cmd() { ANTHROPIC_API_KEY=fake ANTHROPIC_BASE_URL=$url "$java" "$@" -jar "$tool" stream "$prompt"; }
plain_cmd() { "$java" "$@" -cp "$plain_jar" dev.sluice.benchmarks.ColdStartHttpClient "$url" "$prompt"; }

# the caches, trained by one run each
sluice_cmd -XX:AOTCacheOutput="$work/sluice.aot" -Xlog:aot=off -Xlog:cds=off > /dev/null 2>&1
plain_cmd -XX:AOTCacheOutput="$work/plain.aot" -Xlog:aot=off -Xlog:cds=off > /dev/null 2>&1

# milliseconds from spawn to the first byte on stdout: read from a process substitution, so that
# the clock stops at the byte and not when the whole pipeline ends; the process then runs to its end
# (or to its next write into the closed pipe) before the next run starts
first_byte_ms() {
  local start end pid
  start=$(date +%s%N)
  exec 3< <("$@" 2>/dev/null)
  pid=$!
  IFS= read -r -n1 -u 3 _ || true
  end=$(date +%s%N)
  exec 3<&-
  wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

declare -A times
for r in $(seq 1 "$runs"); do
  times[sluice]+="$(first_byte_ms sluice_cmd) "
  times[plain]+="$(first_byte_ms plain_cmd) "
  times[sluice_aot]+="$(first_byte_ms sluice_cmd -XX:AOTCache="$work/sluice.aot" -Xlog:aot=off -Xlog:cds=off) "
  times[plain_aot]+="$(first_byte_ms plain_cmd -XX:AOTCache="$work/plain.aot" -Xlog:aot=off -Xlog:cds=off) "
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "-" max}'; }
echo "cold start, spawn to first printed byte, $runs runs each, $("$java" -version 2>&1 | head -n1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in sluice plain sluice_aot plain_aot; do
  printf '%-11s median %5s ms  (range %s)\n' "$k" "$(echo "${times[$k]}" | median)" "$(echo "${times[$k]}" | minmax)"
done
s=$(echo "${times[sluice]}" | median); p=$(echo "${times[plain]}" | median)
sa=$(echo "${times[sluice_aot]}" | median); pa=$(echo "${times[plain_aot]}" | median)
awk -v s="$s" -v p="$p" -v sa="$sa" -v pa="$pa" 'BEGIN { printf "ratio sluice / plain: %.2f without the cache, %.2f with it\n", s/p, sa/pa }'
