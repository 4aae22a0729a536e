#!/bin/bash
# Runs wrk workloads of bench/e2e/*.lua at 1 and 32 connections against a fresh strata.
# Starts BIN in MODE on PORT with a fresh data directory, creates bench_kv (pk S), warms up
# each op for 3 s, measures 10 s per op and connection count, stops the server.
#   bench/e2e/run.sh build/strata wal 4602 bench/e2e/update.lua put update
#   bench/e2e/run.sh build/strata persistent 4603 bench/e2e/batch_txn.lua batch txn
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1; MODE=$2; PORT=$3; SCRIPT=$4; shift 4
D=$(mktemp -d)
FLOCI_STORAGE_SERVICES_DYNAMODB_MODE=$MODE $BIN --port "$PORT" --data-dir "$D" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/_strata/health" && break; sleep 0.05; done
AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y aws dynamodb create-table \
  --endpoint-url "http://127.0.0.1:$PORT" --region us-east-1 --table-name bench_kv \
  --attribute-definitions AttributeName=pk,AttributeType=S \
  --key-schema AttributeName=pk,KeyType=HASH --billing-mode PAY_PER_REQUEST >/dev/null
for op in "$@"; do
  wrk -t2 -c32 -d3s -s "$SCRIPT" "http://127.0.0.1:$PORT/" -- op="$op" >/dev/null 2>&1
  for c in 1 32; do
    t=2; [ "$c" = 1 ] && t=1
    echo "$MODE $op c=$c $(wrk -t$t -c$c -d10s -s "$SCRIPT" "http://127.0.0.1:$PORT/" -- op="$op" | grep RESULT)"
  done
done
