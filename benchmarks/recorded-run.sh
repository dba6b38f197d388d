# Sourced by the scripts whose runs each go to a file of their own (bedrock.sh, transport.sh):
#   . benchmarks/recorded-run.sh NAME 'run1|run2|…' "$@"
# from the repository's root. Reads [--smoke] [--only RUN] [-- MAVEN ARGS]; builds the benchmarks;
# sets smoke (an array: --smoke or empty), only, mvn, out (benchmarks/target/results/NAME-<timestamp>),
# cp (the benchmarks' class path) and JAVA; defines runs RUN (whether RUN is to run) and
# header TITLE COMMAND (what each result file opens with: date, commit, machine, JDK, load, command).
recorded_name=$1
recorded_runs=$2
shift 2
smoke=()
only=
mvn=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=(--smoke) ;;
    --only) only=$2; shift ;;
    --) shift; mvn=("$@"); break ;;
    *) echo "usage: $0 [--smoke] [--only $recorded_runs] [-- MAVEN ARGS]" >&2; exit 2 ;;
  esac
  shift
done
runs() { [ -z "$only" ] || [ "$only" = "$1" ]; }

out=benchmarks/target/results/$recorded_name-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
./build mvn -q "${mvn[@]}" -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$out/classpath" >&2
. benchmarks/java.sh
cp="$PWD/benchmarks/target/classes:$(cat "$out/classpath")"

header() { # $1: title, $2: command
  echo "# $1$([ ${#smoke[@]} -gt 0 ] && echo ' (SMOKE RUN, not a measurement)')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
  echo "load before: $(uptime)"
  echo "command: $2"
  echo
}
