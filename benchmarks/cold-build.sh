#!/usr/bin/env bash
# cold-build.sh [RUNS]: the README's first command as a newcomer meets it (#84), each run on a fresh clone
# of HEAD with an empty Maven repository and no Maven settings (user.home a new directory: Maven Central
# over the network, as for anyone), Java 17 first on PATH: `./build demo` from start to its exit, and the
# bytes it downloaded. Writes benchmarks/results/DATE-cold-build.txt. Run from the repository's root.
set -euo pipefail
runs=${1:-1}
out=benchmarks/results/$(date -u +%Y-%m-%d)-cold-build.txt
java17=$(dirname "$(readlink -f "$(command -v java)")")
{
  echo "# ./build demo on a fresh clone, empty Maven repository, Maven Central over the network"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java on PATH: $("$java17/java" -version 2>&1 | head -n1); maven: $(mvn -v 2>/dev/null | head -n1 | sed "s/\x1b\[[0-9;]*m//g")"
  echo "load before: $(uptime)"
  echo "command: benchmarks/cold-build.sh $runs"
  echo
} >"$out"
for ((r = 1; r <= runs; r++)); do
  work=$(mktemp -d)
  git clone -q "$PWD" "$work/sluice"
  mkdir -p "$work/home"
  start=$(date +%s.%N)
  (cd "$work/sluice" && env -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL -u JAVA_HOME PATH="$java17:$PATH" \
    MAVEN_OPTS="-Duser.home=$work/home" ./build demo "What is 2 + 2?" >"$work/out" 2>"$work/err")
  end=$(date +%s.%N)
  bytes=$(du -sb "$work/home/.m2/repository" | cut -f1)
  files=$(find "$work/home/.m2/repository" -type f -name '*.jar' | wc -l)
  printf 'run %d: ./build demo %.1f s wall, %d MB downloaded (%d jars); stderr:\n' "$r" "$(echo "$end - $start" | bc)" \
    "$((bytes / 1000000))" "$files" >>"$out"
  sed 's/^/    /' "$work/err" >>"$out"
  rm -rf "$work"
done
echo "load after: $(uptime)" >>"$out"
cat "$out"
