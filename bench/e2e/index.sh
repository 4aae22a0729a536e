#!/bin/bash
# Runs the global-secondary-index wrk workloads of bench/e2e/index.lua at 1 and 32 connections.
# BIN_OR_URL is a strata binary, started in MODE on PORT with a fresh data directory and stopped
# at the end (as run.sh does), or the URL of a server already running (dynalite, the ceiling:
# MODE is then only the label of the lines, PORT is ignored). Creates and loads bench_gsi with
# index_setup.py (10,000 ~1 KB items, 100 per group), then for each OP a 2 s warm-up and a 10 s
# run per connection count, one line each:  <MODE> <op> c=<n> RESULT <req/s> req/s p50 ... p99 ...
#   OPs: gsi_query (Query ByGroup, Limit 25), gsi_lookup (Query ByEmail, 1 item) [default: both];
#        query: the shared harness's table Query (/work/shared/bench/query.lua: bench_hr, a random
#        100-item partition, Limit 25), for servers without GSIs such as the ceiling.
#   bench/e2e/index.sh build/strata wal 4610
#   bench/e2e/index.sh http://127.0.0.1:8124 dynalite 0 gsi_query gsi_lookup query
# Environment: DURATION (seconds per run, 10), WARMUP (2), SHARED (the shared harness directory,
# /work/shared/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=$1; MODE=$2; PORT=$3; shift 3
OPS=("$@"); [ ${#OPS[@]} = 0 ] && OPS=(gsi_query gsi_lookup)
DURATION=${DURATION:-10}; WARMUP=${WARMUP:-2}; SHARED=${SHARED:-/work/shared/bench}
if [[ $TARGET == http://* || $TARGET == https://* ]]; then
  URL=${TARGET%/}
else
  URL="http://127.0.0.1:$PORT"
  D=$(mktemp -d)
  FLOCI_STORAGE_SERVICES_DYNAMODB_MODE=$MODE $TARGET --port "$PORT" --data-dir "$D" >/dev/null 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$D"' EXIT
  for _ in $(seq 100); do curl -s -o /dev/null "$URL/_strata/health" && break; sleep 0.05; done
fi
need_gsi=0; need_hr=0
for op in "${OPS[@]}"; do
  case $op in gsi_query|gsi_lookup) need_gsi=1 ;; query) need_hr=1 ;;
    *) echo "unknown op $op" >&2; exit 2 ;; esac
done
if [ $need_gsi = 1 ]; then
  python3 bench/e2e/index_setup.py create "$URL" >&2
  python3 bench/e2e/index_setup.py preload "$URL" >&2
  python3 bench/e2e/index_setup.py check "$URL" >&2
fi
if [ $need_hr = 1 ]; then
  python3 "$SHARED/ddb_setup.py" create "$URL" >&2
  python3 "$SHARED/ddb_setup.py" preload "$URL" >&2
  python3 "$SHARED/ddb_setup.py" check "$URL" >&2
fi
for op in "${OPS[@]}"; do
  if [ "$op" = query ]; then script=("$SHARED/query.lua"); args=(); else
    script=(bench/e2e/index.lua); args=(op="$op"); fi
  wrk -t2 -c32 -d"${WARMUP}s" -s "${script[0]}" "$URL/" -- "${args[@]}" >/dev/null 2>&1
  for c in 1 32; do
    t=2; [ "$c" = 1 ] && t=1
    out=$(wrk -t$t -c$c -d"${DURATION}s" --timeout 10s -s "${script[0]}" "$URL/" -- "${args[@]}")
    if [ "$op" = query ]; then
      # RESULT query <req/s> <p50> <p99> <non200> <sock_errors> <bad> <responses>
      echo "$MODE $op c=$c $(echo "$out" | awk '/^RESULT/ {printf "RESULT %s req/s p50 %s ms p99 %s ms errors %d bad %d", $3, $4, $5, $6 + $7, $8}')"
    else
      echo "$MODE $op c=$c $(echo "$out" | grep RESULT)"
    fi
    echo "$out" | grep '^# first failure' >&2 || true
  done
done
