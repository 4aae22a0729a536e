#!/bin/bash
# UpdateItem beside PutItem, end to end with wrk (bench/e2e/update.lua), 1 and 32 connections.
# Starts BIN in MODE on PORT with a fresh data directory, creates bench_kv, measures, stops.
#   bench/e2e/update_vs_put.sh build/strata wal 4602
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1; MODE=$2; PORT=$3
D=$(mktemp -d)
FLOCI_STORAGE_SERVICES_DYNAMODB_MODE=$MODE $BIN --port $PORT --data-dir $D >/dev/null 2>&1 &
PID=$!
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$PORT/_strata/health && break; sleep 0.05; done
AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y aws dynamodb create-table --endpoint-url http://127.0.0.1:$PORT --region us-east-1 --table-name bench_kv --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH --billing-mode PAY_PER_REQUEST >/dev/null
for op in put update; do
  wrk -t2 -c32 -d3s -s bench/e2e/update.lua http://127.0.0.1:$PORT/ -- op=$op >/dev/null 2>&1  # warm-up
  for c in 1 32; do
    t=2; [ $c = 1 ] && t=1
    echo "$MODE $op c=$c $(wrk -t$t -c$c -d10s -s bench/e2e/update.lua http://127.0.0.1:$PORT/ -- op=$op | grep RESULT)"
  done
done
kill $PID; wait $PID; rm -rf $D
