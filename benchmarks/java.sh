# Sourced by the benchmark scripts: sets JAVA to a java 21+ (JAVA if already set, else
# JAVA_HOME's, the one on PATH, or the newest under /usr/lib/jvm), as ./build finds one.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1; }
if [ -z "${JAVA:-}" ]; then
  for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -x "$c" ] || continue
    v=$(java_major "$c"); v=${v:-0}
    if [ "$v" -ge 21 ]; then JAVA=$c; break; fi
  done
fi
[ -n "${JAVA:-}" ] || { echo "error: no java 21+ found; set JAVA=/path/to/java" >&2; exit 1; }
export JAVA
