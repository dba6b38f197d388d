#!/usr/bin/env bash
# Summarises ConcurrencyRun result lines (as run-all.sh collects them): per client, C and warm-up,
# the number of runs, their median / min / max wall time, the median p50 and p99 stream time, the
# largest peak heap and peak platform thread count, any run with a failed or missing stream, and
# each client's median wall against raw's.
#   benchmarks/concurrency-summary.sh concurrency.txt
set -euo pipefail
awk '
function val(key,   i, kv) {
  for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] }
  return ""
}
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function extreme(list, want_max,   a, n, i, m) {
  n = split(list, a, " "); m = a[1]
  for (i = 2; i <= n; i++) if (want_max ? a[i] + 0 > m + 0 : a[i] + 0 < m + 0) m = a[i]
  return m
}
/^client=/ {
  k = val("client") " " val("streams") " " val("warmup")
  if (!(k in runs)) order[++cases] = k
  runs[k]++
  wall[k] = wall[k] " " (val("wall") + 0); p50[k] = p50[k] " " (val("p50") + 0); p99[k] = p99[k] " " (val("p99") + 0)
  heap[k] = heap[k] " " (val("peakHeap") + 0); threads[k] = threads[k] " " (val("peakPlatformThreads") + 0)
  if (val("failed") != "0" || val("completed") != val("streams")) bad[k]++
}
END {
  printf "| client | C | warm-up | runs | wall median (min-max) | p50 | p99 | peak heap MiB | peak platform threads | vs raw |\n"
  printf "|---|---|---|---|---|---|---|---|---|---|\n"
  for (i = 1; i <= cases; i++) {
    k = order[i]; split(k, f, " ")
    m = median(wall[k]); r = "raw " f[2] " " f[3]
    ratio = (r in wall && f[1] != "raw") ? sprintf("%.2fx", m / median(wall[r])) : ""
    printf "| %s | %s | %s | %d%s | %.2f (%.2f-%.2f) | %.2f | %.2f | %.0f | %d | %s |\n", f[1], f[2], f[3], runs[k],
      (k in bad) ? " (" bad[k] " incomplete)" : "", m, extreme(wall[k], 0), extreme(wall[k], 1),
      median(p50[k]), median(p99[k]), extreme(heap[k], 1), extreme(threads[k], 1), ratio
  }
}' "$@"
