#!/usr/bin/env bash
# The gateway hop (issue #74), AIGatewayBench's method: the same streaming Chat Completions request
# (POST /v1/chat/completions, "stream": true) straight to a mock upstream, through `sluice serve`'s
# OpenAI-compatible gateway, and through nginx as a plain streaming reverse proxy (the floor of any
# HTTP hop); also serve's UI message stream (POST /api/chat) and AG-UI (POST /api/ag-ui) routes on
# the same upstream; and (issue #80) the Anthropic Messages (POST /v1/messages) and OpenAI Responses
# (POST /v1/responses) front doors, each passed through to the mock's own API and translated to its
# Chat Completions, against a direct call of that API (direct-messages, direct-responses). `sluice` is
# the Chat Completions door to the mock's Chat Completions, passed through since #86; sluice-chat-translated
# the same door to its Messages API, translated. The mock is Sluice's own `serve-fake` at 1,500 tokens/s, its model
# fake-first-token-30 (the first event 30 ms after the request), the prompt "Write a long essay
# about virtual threads." (150 SSE events an answer). Every process is its own JVM (or
# nginx); the driver, GatewayRun, runs each round in a fresh JVM: concurrency 1, 16 and 64, the
# targets interleaved (their order rotated), every response checked for all its events; then each
# round's blocks at 256, after every round to 64 (so that each serve's peak RSS to 64 is a run's to 64). Then
# a non-streaming completion ("stream": false) at the highest rate the machine sustains: a closed
# loop of 32 connections for a few seconds a target, against a second mock that answers at once
# (no pacing), through a second serve and nginx. LiteLLM is not run: PyPI cannot be reached here.
# Every stream block also counts its streams sustained (every event, no gap over 10x the pace).
#
# --only onthebench runs onthebench's two figures (#86) alone, about 7 minutes: the direct call, the
# Chat Completions door (sluice) and nginx, the Messages passthrough beside direct-messages, a warm-up round,
# then 2 rounds (unless --rounds) each of a sweep of the concurrency 1, 2, 4, 8, 16, 32, 64 (stopped
# once every target's added first-token p99 over its direct call is over 10 ms) and a block at 256; the table adds
# the requests/s sustained at an added p99 of 1 ms and 10 ms, and the streams sustained at 256.
# --only pool runs the client's idle pool (#86) alone, about 5 minutes: the direct call, the Chat Completions door
# (sluice) and nginx at concurrency 1, 16 and 64 (60, 120, 120 requests a block), each block once with the driver's
# pool as large as the concurrency (each connection kept through the block, as always) and once with 2 idle
# connections kept per target (GatewayRun --idle-per-host 2, what Go's net/http keeps unless told otherwise: the
# connections past 2 are opened while measuring), interleaved, a warm-up round, then 2 rounds (unless --rounds); the
# table's rows "TARGET, 2 idle" are against the direct call with the same pool, and count the connections opened.
# --only nonstream runs the non-streaming block alone (its warm-up, then 1 round unless --rounds), under a minute.
# --only keys runs the minted keys' targets (#100) alone, beside the direct call and nginx (a warm-up round, then 2
# unless --rounds): a third serve started with --token, through which "keys" sends the token and "keys-minted" a key
# minted with a budget (POST /v1/keys, kept in memory); and, when redis-server is installed (or REDIS_SERVER names
# it), a fourth on a fresh local Redis (--store redis://), "redis" and "redis-minted" the same two requests there. A
# key's cost is its "-minted" row's added first token less its process's token row. The full run has them too.
# --only subset runs #100's strict subset of serve's work beside serve's three doors (passed through), the direct
# calls and nginx, on each door's stream (a warm-up round, then 2 unless --rounds): "plain", PlainProxy, Jetty's
# servlet configured as serve's, which sends each request's bytes on a kept-alive connection and copies the answer's
# bytes chunk by chunk, parsing nothing; what serve adds over it is serve's own work. "plain-messages" and
# "plain-responses" (and nginx's rows of the same names) carry the Messages and Responses streams.
# --only agentbody runs the three doors passed through, the direct calls and nginx on each door's stream, with each
# request carrying an agent's conversation (GatewayRun --history 40: a system prompt and 40 earlier turns of each side,
# about 60 KB, where the other blocks send a one-line prompt): what the hop adds to an agent's request (a warm-up
# round, then 2 unless --rounds).
#
# Every serve is started as a user starts it, `./sluice serve` (the launcher's own JVM flags, no -Xmx; the jar the
# build step packaged), and its RSS is recorded: idle (its VmRSS 6 s after it listens, before any
# request: the "idle" line), each block's peak (the driver's peak_mb, VmHWM reset at the block's start), and, in the
# full run, the streamed serve's idle after the load (the "idle after the load" line, 150 s after its last request).
#
#   benchmarks/gateway.sh [--smoke] [--only onthebench|pool|nonstream|keys|subset|agentbody] [--rounds N] [--no-build] [--out FILE] [-- MAVEN ARGS]
#
# The recorded run writes benchmarks/results/<date>-gateway.txt (raw lines and the table); a smoke
# run (seconds, not a measurement) writes under benchmarks/target/results/. About 8 minutes on 2
# cores with 3 rounds (and a warm-up round, left out of the table); run it on a quiet machine, nothing beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
rounds=
only=
build=1
out=
mvn=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift
      case "$only" in onthebench | pool | nonstream | keys | subset | agentbody) ;; *) echo "error: --only takes onthebench, pool, nonstream, keys, subset or agentbody" >&2; exit 2 ;; esac ;;
    --no-build) build=0 ;;
    --out) out=$2; shift ;;
    --) shift; mvn=("$@"); break ;;
    *) echo "usage: $0 [--smoke] [--only onthebench|pool|nonstream|keys|subset|agentbody] [--rounds N] [--no-build] [--out FILE] [-- MAVEN ARGS]" >&2; exit 2 ;;
  esac
  shift
done
case "$only" in onthebench | pool | keys | subset | agentbody) default_rounds=2 ;; nonstream) default_rounds=1 ;; *) default_rounds=3 ;; esac
rounds=${rounds:-$default_rounds}

cpfile=benchmarks/target/gateway.classpath
if [ $build = 1 ] || [ ! -f $cpfile ]; then
  ./build mvn -q "${mvn[@]}" -DskipTests -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$cpfile" >&2
fi
. benchmarks/java.sh
cp="$PWD/benchmarks/target/classes:$(cat $cpfile)"
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "error: nginx is missing (apt-get install nginx, as ./build test does), or set NGINX" >&2; exit 1; }
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
[ -f lib/cli/target/sluice.jar ] || { echo "error: lib/cli/target/sluice.jar, which ./sluice serve runs, is missing: run without --no-build" >&2; exit 1; }

if [ -z "$out" ]; then
  if [ $smoke = 1 ]; then out=benchmarks/target/results/gateway${only:+-$only}-$(date +%Y%m%d-%H%M%S).txt
  else out=benchmarks/results/$(date -u +%Y-%m-%d)-gateway${only:+-$only}.txt; fi
fi
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # $1 port, $2 name, $3 log
  for _ in $(seq 1 300); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "error: $2 did not listen on $1:" >&2; cat "$3" >&2; exit 1
}
jvm=("$JAVA" -XX:+UseSerialGC -Xms256m -Xmx1g -cp "$cp")
fake_port=$(free_port); fake0_port=$(free_port); serve_port=$(free_port); serve0_port=$(free_port)
nginx_port=$(free_port); nginx0_port=$(free_port); keys_port=$(free_port); redis_port=$(free_port); rserve_port=$(free_port)

# the mocks; the paced one's pace is also the driver's, for the streams sustained (no gap over 10x it)
tokens_per_second=1500
"${jvm[@]}" dev.sluice.cli.Sluice serve-fake --port "$fake_port" --tokens-per-second $tokens_per_second 2>"$work/fake.log" &
fake_pid=$!; pids+=($fake_pid)
"${jvm[@]}" dev.sluice.cli.Sluice serve-fake --port "$fake0_port" --tokens-per-second 0 2>"$work/fake0.log" &
fake0_pid=$!; pids+=($fake0_pid)
# the gateways: serve with limits above what the run needs (one client address opens 256 streams)
# (the replay bound of 64 KiB holds these answers 60 times over: the limits' worst case then fits the heap)
serve_flags=(--provider openai --model fake-first-token-30 --max-streams 400 --max-streams-per-client 400
  --max-creations-per-minute 1000000 --max-connections 600 --max-connections-per-client 600 --replay-bytes 65536)
serve_jvm=(./sluice) # as a user starts it: the launcher's JVM flags, no -Xmx
# --only agentbody: a prompt limit over the conversation's 60,401 characters (the default is 32,000; docs/serve.md gives
# agents 4,000,000, for which the limits' worst case needs fewer streams than this run opens)
agent_flags=()
[ "$only" != agentbody ] || agent_flags=(--max-prompt-chars 200000)
# Anthropic's and the Responses API's front doors pass through to the same mock's /v1/messages and /v1/responses
OPENAI_API_KEY=bench-key OPENAI_BASE_URL=http://127.0.0.1:$fake_port/v1 \
  ANTHROPIC_API_KEY=bench-key ANTHROPIC_BASE_URL=http://127.0.0.1:$fake_port \
  "${serve_jvm[@]}" serve --port "$serve_port" "${serve_flags[@]}" "${agent_flags[@]}" --max-tokens 4096 \
  --models 'anthropic=*' --models 'openai-responses=*' \
  2>"$work/serve.log" &
serve_pid=$!; pids+=($serve_pid)
OPENAI_API_KEY=bench-key OPENAI_BASE_URL=http://127.0.0.1:$fake0_port/v1 \
  "${serve_jvm[@]}" serve --port "$serve0_port" "${serve_flags[@]}" 2>"$work/serve0.log" &
serve0_pid=$!; pids+=($serve0_pid)
token=bench-token-0123456789 # the admin's token: the keys serves' own targets send it, as a client of the token does
# the minted keys (#100): a serve with a token, whose keys are kept in memory; and one on a local Redis, when
# there is a redis-server; the same limits, the same mock
OPENAI_API_KEY=bench-key OPENAI_BASE_URL=http://127.0.0.1:$fake_port/v1 \
  "${serve_jvm[@]}" serve --port "$keys_port" "${serve_flags[@]}" --token "$token" 2>"$work/keys.log" &
keys_pid=$!; pids+=($keys_pid)
rserve_pid=
if [ -n "$REDIS_SERVER" ]; then
  "$REDIS_SERVER" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  pids+=($!)
  wait_port "$redis_port" redis-server "$work/redis.log"
  OPENAI_API_KEY=bench-key OPENAI_BASE_URL=http://127.0.0.1:$fake_port/v1 \
    "${serve_jvm[@]}" serve --port "$rserve_port" "${serve_flags[@]}" --token "$token" \
    --store "redis://127.0.0.1:$redis_port" 2>"$work/rserve.log" &
  rserve_pid=$!; pids+=($rserve_pid)
fi
# nginx: one process (no master), a plain streaming reverse proxy with keep-alive to the mock
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream mock { server 127.0.0.1:$fake_port; keepalive 512; }
    upstream mock0 { server 127.0.0.1:$fake0_port; keepalive 512; }
    server {
        listen 127.0.0.1:$nginx_port;
        keepalive_requests 100000;
        location / {
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
        }
    }
    server {
        listen 127.0.0.1:$nginx0_port;
        keepalive_requests 100000;
        location / {
            proxy_pass http://mock0;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
        }
    }
}
EOF
"$NGINX" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" >"$work/nginx/logs/out.log" 2>&1 &
nginx_pid=$!; pids+=($nginx_pid)
# --only subset: PlainProxy (#100's strict subset of serve's work) in front of the paced mock, in a JVM started as
# ./sluice serve starts serve's (but for the soft heap ceiling, which is serve's own code)
plain_pid= plain_port=
if [ "$only" = subset ]; then
  plain_port=$(free_port)
  "$JAVA" -XX:+UseSerialGC -XX:-ShrinkHeapInSteps -Xms16m -XX:TrimNativeHeapInterval=2000 -Djdk.pollerMode=1 -cp "$cp" \
    dev.sluice.benchmarks.PlainProxy "$plain_port" "127.0.0.1:$fake_port" 2>"$work/plain.log" &
  plain_pid=$!; pids+=($plain_pid)
fi
wait_port "$fake_port" serve-fake "$work/fake.log"; wait_port "$fake0_port" serve-fake "$work/fake0.log"
wait_port "$serve_port" serve "$work/serve.log"; wait_port "$serve0_port" serve "$work/serve0.log"
wait_port "$nginx_port" nginx "$work/nginx/logs/error.log"
[ -z "$plain_pid" ] || wait_port "$plain_port" PlainProxy "$work/plain.log"
wait_port "$keys_port" serve "$work/keys.log"
[ -z "$rserve_pid" ] || wait_port "$rserve_port" serve "$work/rserve.log"
# a key minted with a budget (no limit a run reaches) on each serve with a token, as its admin mints one
mint() { # $1 port: prints the key's secret
  curl -fsS -X POST "http://127.0.0.1:$1/v1/keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench","max_tokens_total":1000000000000}' | sed -n 's/.*"key":"\(sk-sluice-[A-Za-z0-9]*\)".*/\1/p'
}
keys_secret=$(mint "$keys_port")
[ -n "$keys_secret" ] || { echo "error: no key was minted on the keys serve" >&2; cat "$work/keys.log" >&2; exit 1; }
redis_secret=
[ -z "$rserve_pid" ] || redis_secret=$(mint "$rserve_port")
# each serve's idle RSS: 6 s after it listens (its JIT's start-up work done, and the memory it freed given back by
# the launcher's -XX:TrimNativeHeapInterval=2000), before any request
sleep 6
idle_rss() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
idle="idle rss_mb: sluice=$(idle_rss "$serve_pid") sluice-nonstream=$(idle_rss "$serve0_pid") keys=$(idle_rss "$keys_pid")"
[ -z "$rserve_pid" ] || idle+=" redis=$(idle_rss "$rserve_pid")"
[ -z "$plain_pid" ] || idle+=" plain=$(idle_rss "$plain_pid")"
idle+=" nginx=$(idle_rss "$nginx_pid")"

burst=()
if [ "$only" = onthebench ] && [ $smoke = 1 ]; then
  stream=(--sweep 1,2,4 --requests 1=5,2=8,4=16,32=64 --concurrency 32); rounds=1
elif [ "$only" = onthebench ]; then
  stream=(--sweep 1,2,4,8,16,32,64 --requests 1=30,2=48,4=64,8=96,16=160,32=192,64=256,256=512 --concurrency 256)
elif [ "$only" = pool ] && [ $smoke = 1 ]; then
  stream=(--concurrency 1,16 --requests 1=5,16=32 --idle-per-host all,2); rounds=1
elif [ "$only" = pool ]; then
  stream=(--concurrency 1,16,64 --requests 1=60,16=120,64=120 --idle-per-host all,2)
elif { [ "$only" = keys ] || [ "$only" = agentbody ]; } && [ $smoke = 1 ]; then
  stream=(--concurrency 1,16 --requests 1=10,16=64); rounds=1
elif [ "$only" = keys ] || [ "$only" = subset ] || [ "$only" = agentbody ]; then
  stream=(--concurrency 1,16,64 --requests 1=60,16=160,64=256)
elif [ $smoke = 1 ]; then
  stream=(--concurrency 1,16 --requests 1=5,16=32); nonstream=(--nonstream 1 --concurrency 8); rounds=1
else
  stream=(--concurrency 1,16,64 --requests 1=40,16=160,64=256); nonstream=(--nonstream 4 --concurrency 32)
  # the blocks at 256 after every round to 64, so that the peak RSS of a run to 64 (#100) is that run's
  burst=(--concurrency 256 --requests 256=512)
fi
# an agent's conversation in each request (--only agentbody), the warm-up's too
history=()
[ "$only" != agentbody ] || history=(--history 40)
stream+=(--bounds 1,10 --tokens-per-second $tokens_per_second "${history[@]}")
[ ${#burst[@]} = 0 ] || burst+=(--bounds 1,10 --tokens-per-second $tokens_per_second)
chat=/v1/chat/completions
targets=(--target "direct=http://127.0.0.1:$fake_port$chat#fake-first-token-30"
  --target "sluice=http://127.0.0.1:$serve_port$chat#openai/fake-first-token-30"
  --target "sluice-chat-translated=http://127.0.0.1:$serve_port$chat#anthropic/fake-first-token-30"
  --target "nginx=http://127.0.0.1:$nginx_port$chat#fake-first-token-30"
  --target "sluice-ui=http://127.0.0.1:$serve_port/api/chat"
  --target "sluice-agui=http://127.0.0.1:$serve_port/api/ag-ui"
  --target "direct-messages=http://127.0.0.1:$fake_port/v1/messages#fake-first-token-30"
  --target "sluice-messages-passthrough=http://127.0.0.1:$serve_port/v1/messages#anthropic/fake-first-token-30"
  --target "sluice-messages-translated=http://127.0.0.1:$serve_port/v1/messages#openai/fake-first-token-30"
  --target "direct-responses=http://127.0.0.1:$fake_port/v1/responses#fake-first-token-30"
  --target "sluice-responses-passthrough=http://127.0.0.1:$serve_port/v1/responses#openai-responses/fake-first-token-30"
  --target "sluice-responses-translated=http://127.0.0.1:$serve_port/v1/responses#openai/fake-first-token-30"
  --target "keys=http://127.0.0.1:$keys_port$chat#openai/fake-first-token-30"
  --key "keys=$token" --target "keys-minted=http://127.0.0.1:$keys_port$chat#openai/fake-first-token-30"
  --key "keys-minted=$keys_secret")
[ -z "$plain_pid" ] || targets+=(--target "plain=http://127.0.0.1:$plain_port$chat#fake-first-token-30"
  --target "plain-messages=http://127.0.0.1:$plain_port/v1/messages#fake-first-token-30"
  --target "plain-responses=http://127.0.0.1:$plain_port/v1/responses#fake-first-token-30")
# nginx on the Messages and Responses streams too, where a block compares each door's stream with its own nginx
if [ "$only" = subset ] || [ "$only" = agentbody ]; then
  targets+=(--target "nginx-messages=http://127.0.0.1:$nginx_port/v1/messages#fake-first-token-30"
    --target "nginx-responses=http://127.0.0.1:$nginx_port/v1/responses#fake-first-token-30")
fi
[ -z "$rserve_pid" ] || targets+=(--target "redis=http://127.0.0.1:$rserve_port$chat#openai/fake-first-token-30"
  --key "redis=$token" --target "redis-minted=http://127.0.0.1:$rserve_port$chat#openai/fake-first-token-30" --key "redis-minted=$redis_secret")
case "$only" in # the Chat Completions door (and onthebench's Messages passthrough) and nginx, beside the direct calls
  onthebench) kept="direct sluice nginx direct-messages sluice-messages-passthrough" ;;
  pool) kept="direct sluice nginx" ;;
  keys) kept="direct sluice nginx keys keys-minted redis redis-minted" ;;
  subset) kept="direct sluice nginx plain direct-messages sluice-messages-passthrough nginx-messages plain-messages"
    kept+=" direct-responses sluice-responses-passthrough nginx-responses plain-responses" ;;
  agentbody) kept="direct sluice nginx direct-messages sluice-messages-passthrough nginx-messages"
    kept+=" direct-responses sluice-responses-passthrough nginx-responses" ;;
  *) kept= ;;
esac
if [ -n "$kept" ]; then # each --target with the --key that may follow it
  keep=()
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    name=${targets[i + 1]%%=*}
    [[ " $kept " == *" $name "* ]] && keep+=("${targets[@]:i:2}")
  done
  targets=("${keep[@]}")
fi
# the streamed rounds and the non-streamed ones (the full run: one, after the streams)
case "$only" in onthebench | pool | keys | subset | agentbody) stream_rounds=$rounds nonstream_rounds=0 ;; nonstream) stream_rounds=0 nonstream_rounds=$rounds ;;
  *) stream_rounds=$rounds nonstream_rounds=1 ;; esac
targets0=(--target "direct=http://127.0.0.1:$fake0_port$chat#fake-first-token-30"
  --target "sluice=http://127.0.0.1:$serve0_port$chat#openai/fake-first-token-30"
  --target "nginx=http://127.0.0.1:$nginx0_port$chat#fake-first-token-30")
keypids=(--pid "keys=$keys_pid")
[ -z "$rserve_pid" ] || keypids+=(--pid "redis=$rserve_pid")
[ -z "$plain_pid" ] || keypids+=(--pid "plain=$plain_pid")
command=benchmarks/gateway.sh${only:+ --only $only}
if [ $smoke = 1 ]; then command+=" --smoke"; elif [ "$rounds" != "$default_rounds" ]; then command+=" --rounds $rounds"; fi
[ $build = 0 ] && command+=" --no-build (the jars built before, from this commit)"

{
  if [ "$only" = onthebench ]; then echo -n "# The gateway hop, onthebench's two figures (#86): direct, sluice serve (Chat Completions, Messages passed through), nginx"
  elif [ "$only" = pool ]; then echo -n "# The gateway hop, the client's idle pool (#86): direct, sluice serve (Chat Completions), nginx; the driver's pool as large as C, and 2 idle per target"
  elif [ "$only" = subset ]; then echo -n "# The gateway hop, #100's strict subset: direct, sluice serve (the three doors, passed through), PlainProxy (Jetty's servlet copying bytes), nginx, on each door's stream"
  elif [ "$only" = agentbody ]; then echo -n "# The gateway hop, an agent's request (about 60 KB: a system prompt and 40 earlier turns of each side): direct, sluice serve (the three doors, passed through), nginx, on each door's stream"
  elif [ "$only" = keys ]; then echo -n "# The gateway hop, minted keys (#100): direct, sluice serve (Chat Completions) with the token and with a minted key, in memory and on Redis, nginx"
  elif [ "$only" = nonstream ]; then echo -n "# The gateway hop, non-streaming completions (#86): direct, sluice serve (Chat Completions), nginx, against the unpaced mock"
  else echo -n "# The gateway hop (#74, #80): direct, sluice serve (Chat Completions, Messages and Responses passed through and translated, UI message stream, AG-UI), nginx"; fi
  echo "$([ $smoke = 1 ] && echo ' (SMOKE RUN, not a measurement)' || true)"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- lib benchmarks || echo ' (with uncommitted changes)')"
  echo "machine: $(uname -srm), nproc $(nproc), memory $(free -h | awk '/^Mem:/ {print $2}'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -n2 | tr '\n' ' ')"
  echo "nginx: $("$NGINX" -v 2>&1)"
  echo "mock: sluice serve-fake --tokens-per-second $tokens_per_second, model fake-first-token-30; non-streaming: --tokens-per-second 0"
  echo "jvms: mocks ${jvm[*]:1:3}, the driver the JDK's defaults; serve as ./sluice serve starts it: $(tr '\0' ' ' < "/proc/$serve_pid/cmdline" | sed 's/ -jar .*//')"
  echo "redis: $([ -n "$rserve_pid" ] && "$REDIS_SERVER" --version | cut -d' ' -f1-3 || echo 'not run (no redis-server)')"
  echo "$idle"
  echo "LiteLLM: not run (PyPI is refused on this machine); the issue's LiteLLM figures are the issue's, not this run's"
  echo "load before: $(uptime)"
  echo "command: $command"
  echo
  # round 0 warms every JVM up (the JIT compiles the path a request takes); the table leaves it out
  [ "$stream_rounds" = 0 ] || "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun run --round 0 "${targets[@]}" "${history[@]}" --concurrency 16 \
    --requests 16=$([ $smoke = 1 ] && echo 32 || echo 320) --pid "sluice=$serve_pid" --pid "nginx=$nginx_pid" --pid "mock=$fake_pid" "${keypids[@]}"
  [ "$nonstream_rounds" = 0 ] || "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun run --round 0 "${targets0[@]}" \
    --nonstream 2 --concurrency 32 --pid "sluice=$serve0_pid" --pid "nginx=$nginx_pid" --pid "mock=$fake0_pid"
  for r in $(seq 1 "$stream_rounds"); do
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun run --round "$r" "${targets[@]}" "${stream[@]}" \
      --pid "sluice=$serve_pid" --pid "nginx=$nginx_pid" --pid "mock=$fake_pid" "${keypids[@]}"
  done
  for r in $([ ${#burst[@]} = 0 ] || seq 1 "$stream_rounds"); do
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun run --round "$r" "${targets[@]}" "${burst[@]}" \
      --pid "sluice=$serve_pid" --pid "nginx=$nginx_pid" --pid "mock=$fake_pid" "${keypids[@]}"
  done
  quiet_since=$(date +%s) # the streamed serve's last request
  for r in $(seq 1 "$nonstream_rounds"); do
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun run --round "$r" "${targets0[@]}" \
      "${nonstream[@]}" --pid "sluice=$serve0_pid" --pid "nginx=$nginx_pid" --pid "mock=$fake0_pid"
  done
  if [ ${#burst[@]} != 0 ]; then
    # the streamed serve idle after its run to 64 and 256 streams (#100: <= 100 MiB idle): quiet for a whole minute,
    # it lets go of Jetty's pooled buffers and its heap is collected whole (HeapCeiling), within two; read every 15 s
    # to 150 s after its last request (the non-streamed rounds ran on the other serve meanwhile)
    readings=()
    for t in $(seq 15 15 150); do
      now=$(date +%s); [ $((quiet_since + t)) -le "$now" ] && continue # the non-streamed rounds still ran then
      sleep $((quiet_since + t - now))
      readings+=("+${t}s $(idle_rss "$serve_pid")")
    done
    echo "idle after the load rss_mb: sluice=$(idle_rss "$serve_pid") (150 s after its last request; $(IFS=,; echo "${readings[*]}" | sed 's/,/, /g'))"
  fi
  echo "load after: $(uptime)"
  echo "serve's log lines: $(wc -l < "$work/serve.log"); its warnings: $(grep -ciw 'warn\|warning\|error' "$work/serve.log" || true)"
  # whole words only: a stream id is random letters, and one in a few thousand holds "warn"
  grep -iw 'warn\|warning\|error' "$work/serve.log" | head -5 | cut -c1-300 | sed 's/^/  /' || true # the first few
} | tee "$out.raw"
{ cat "$out.raw"; echo; echo "## Table (medians over rounds; added = target minus direct in the same round)"; echo
  "$JAVA" -cp "$cp" dev.sluice.benchmarks.GatewayRun summarize "$out.raw"; } > "$out"
rm -f "$out.raw"
sed -n '/^## Table/,$p' "$out"
echo "raw output: $out" >&2
