#!/usr/bin/env bash
# An hour's soak (issue #54): builds the benchmarks jar and runs SoakRun, which starts its own
# redis-server, the fake server and two `sluice serve` nodes (each a fresh JVM), runs relay and
# direct clients with faults for the duration, restarts Redis half-way, samples every minute and
# writes benchmarks/results/DATE-soak.tsv and .txt. Exits non-zero when a stream lost or repeated
# an event or a sampled value grew past its bound (SoakRun's and SoakVerdict's Javadoc).
#
#   benchmarks/soak.sh                     the hour (about 65 minutes in all)
#   benchmarks/soak.sh --minutes 4 --sample-seconds 20 --name DATE-soak-validation
#                                          a short run, with the Redis restart half-way too
# Any SoakRun option passes through (--relay-clients, --direct-clients, --fault-share,
# --tokens-per-second, --rest-seconds, --out, --work; defaults in SoakRun's Javadoc).
set -euo pipefail
cd "$(dirname "$0")/.."
./build mvn -q -DskipTests -pl benchmarks -am package >&2
. benchmarks/java.sh
command -v redis-server >/dev/null || [ -n "${REDIS_SERVER:-}" ] || { echo "error: redis-server is missing (apt-get install redis-server, or set REDIS_SERVER)" >&2; exit 1; }
exec "$JAVA" -Xmx512m -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.SoakRun "$@"
