#!/usr/bin/env bash
# Amazon Bedrock's Converse API (issue #70): Sluice's BedrockClient against the AWS SDK for Java
# 2.x's BedrockRuntimeAsyncClient.converseStream (Netty), each run recorded in its own file:
#   converse     RealContentRun --converse: realtext and realtool as Converse event streams from a
#                BenchServer in its own process, each client in fresh JVMs (bedrock-sluice,
#                bedrock-sdk and the raw limit bedrock-raw, order rotated each round): events/s, CPU
#                and bytes allocated per event, and the server process's CPU while each child streamed
#   first-event  FreshJvmFirstEvent: a fresh JVM's first event, Sluice's AnthropicClient (the direct
#                path), its BedrockClient and the AWS SDK against one server
#   footprint    footprint.sh: the runtime jars of Sluice, the Anthropic SDK and the Bedrock SDK
#   sigv4        JMH SigV4SignBenchmark -prof gc: µs and bytes to sign one converse-stream request
# Each run takes at most a few minutes on 2 cores; run on a quiet machine, nothing beside it.
#
#   benchmarks/bedrock.sh [--smoke] [--only converse|first-event|footprint|sigv4] [-- MAVEN ARGS]
# The raw output goes to benchmarks/target/results/bedrock-<timestamp>/<run>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

. benchmarks/recorded-run.sh bedrock 'converse|first-event|footprint|sigv4' "$@"

if runs converse; then
  if [ ${#smoke[@]} -gt 0 ]; then args=(--smoke); else args=(--rounds 3 --streams 30 --first 10 --steady 10); fi
  args=(--converse --content realtext,realtool --clients bedrock-sluice,bedrock-sdk,bedrock-raw "${args[@]}")
  { header "Bedrock Converse: Sluice's BedrockClient vs the AWS SDK's BedrockRuntimeAsyncClient, fresh JVMs" \
      "java -cp CP dev.sluice.benchmarks.RealContentRun ${args[*]} --child-cp CP"
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.RealContentRun "${args[@]}" --child-cp "$cp" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/converse.txt"
fi
if runs first-event; then
  n=15; [ ${#smoke[@]} -gt 0 ] && n=2
  args=(--runs "$n" --clients sluice,bedrock-sluice,bedrock-sdk)
  { header "A fresh JVM's first event: AnthropicClient (direct), BedrockClient, the AWS SDK, against one server" \
      "java -cp CP dev.sluice.benchmarks.FreshJvmFirstEvent ${args[*]} --child-cp CP"
    "$JAVA" -cp "$cp" dev.sluice.benchmarks.FreshJvmFirstEvent "${args[@]}" --child-cp "$cp" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/first-event.txt"
fi
if runs footprint; then
  { header "Runtime footprint: Sluice, the Anthropic Java SDK, the AWS SDK's Bedrock Runtime client" "benchmarks/footprint.sh"
    benchmarks/footprint.sh "${mvn[@]}" 2>&1; } | tee "$out/footprint.txt"
fi
if runs sigv4; then
  jmh=(-prof gc); [ ${#smoke[@]} -gt 0 ] && jmh=(-wi 1 -i 1 -w 1s -r 1s)
  { header "SigV4 signing of one converse-stream request (JMH)" "java -jar benchmarks/target/benchmarks.jar SigV4SignBenchmark ${jmh[*]}"
    "$JAVA" -jar benchmarks/target/benchmarks.jar SigV4SignBenchmark "${jmh[@]}" 2>&1
    echo "load after: $(uptime)"; } | tee "$out/sigv4.txt"
fi
echo "raw output: $out" >&2
