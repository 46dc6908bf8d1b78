#!/usr/bin/env bash
# Runs the Sales Machine locally on the repository's throwaway Postgres and Redis:
# database "sales" (migrations + seed), .sales-local/credentials.json (written once, pointing at
# the stand-ins), flowrun-standins on $STANDINS_PORT (8099) and `flowrun serve workflows/` on 5678.
# Usage: scripts/sales-local.sh   (binaries from $FLOWRUN_BIN, default .build/debug; Ctrl-C stops both)
# (The workflows folder is passed as an absolute path: serve resolves Execute Workflow ids against it.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/services/env.sh
bin=${FLOWRUN_BIN:-.build/debug}
port=${STANDINS_PORT:-8099}
admin=$FLOWRUN_TEST_POSTGRES_ADMIN_URL
if [[ ! $admin =~ ^postgres(ql)?://([^:]+):([^@]*)@([^:/]+):([0-9]+)/ ]]; then
    echo "sales-local.sh: FLOWRUN_TEST_POSTGRES_ADMIN_URL must look like postgres://user:pass@host:port/db" >&2; exit 1
fi
pg_user=${BASH_REMATCH[2]} pg_password=${BASH_REMATCH[3]} pg_host=${BASH_REMATCH[4]} pg_port=${BASH_REMATCH[5]}
redis=${FLOWRUN_TEST_REDIS_URL#redis://}; redis=${redis%%/*}; redis_host=${redis%%:*}; redis_port=${redis##*:}
if [ "$(psql "$admin" -X -tAc "select 1 from pg_database where datname = '${SALES_DB:-sales}'")" != 1 ]; then
    psql "$admin" -X -q -c "create database ${SALES_DB:-sales}"
fi
scripts/sales-db.sh "${admin%/*}/${SALES_DB:-sales}"

local=${SALES_LOCAL_DIR:-.sales-local}
mkdir -p "$local"
credentials=$local/credentials.json
secret=${SALES_JWT_SECRET:-local-sales-jwt-secret-with-at-least-32-characters}
webhook_secret=${SALES_WEBHOOK_SECRET:-local-webhook-secret}
if [ ! -f "$credentials" ]; then
    cat > "$credentials" <<JSON
[
  {"id": "sales-db", "name": "Sales DB", "type": "postgres", "data": {"host": "$pg_host", "port": $pg_port, "database": "${SALES_DB:-sales}", "user": "$pg_user", "password": "$pg_password"}},
  {"id": "sales-cache", "name": "Sales Cache", "type": "redis", "data": {"host": "$redis_host", "port": $redis_port, "database": ${SALES_REDIS_DB:-0}}},
  {"id": "anthropic", "name": "Anthropic", "type": "anthropicApi", "data": {"apiKey": "sk-ant-standin", "url": "http://127.0.0.1:$port/anthropic"}},
  {"id": "phantombuster", "name": "PhantomBuster", "type": "httpHeaderAuth", "data": {"name": "X-Phantombuster-Key-1", "value": "pb-standin-key"}},
  {"id": "instantly", "name": "Instantly", "type": "httpBearerAuth", "data": {"token": "instantly-standin-key"}},
  {"id": "calcom", "name": "Cal.com", "type": "httpBearerAuth", "data": {"token": "cal_test_standin"}},
  {"id": "builtwith", "name": "BuiltWith", "type": "httpQueryAuth", "data": {"name": "KEY", "value": "builtwith-standin-key"}},
  {"id": "supabase-jwt", "name": "Supabase JWT", "type": "jwtAuth", "data": {"keyType": "passphrase", "secret": "$secret", "algorithm": "HS256"}},
  {"id": "instantly-webhook", "name": "Instantly Webhook", "type": "httpHeaderAuth", "data": {"name": "X-Webhook-Secret", "value": "$webhook_secret"}},
  {"id": "calcom-webhook", "name": "Cal.com Webhook", "type": "httpHeaderAuth", "data": {"name": "X-Webhook-Secret", "value": "$webhook_secret"}}
]
JSON
    echo "wrote $credentials" >&2
fi

"$bin/flowrun-standins" --port "$port" &
standins=$!
trap 'kill "$standins" 2>/dev/null' EXIT
export N8N_BLOCK_ENV_ACCESS_IN_NODE=false
export PHANTOMBUSTER_BASE_URL=http://127.0.0.1:$port/phantombuster INSTANTLY_BASE_URL=http://127.0.0.1:$port/instantly \
       CALCOM_BASE_URL=http://127.0.0.1:$port/calcom BUILTWITH_BASE_URL=http://127.0.0.1:$port/builtwith
FLOWRUN_DATA_DIR=${FLOWRUN_DATA_DIR:-$local/data} "$bin/flowrun" serve "$root/workflows" --credentials "$credentials" --port "${SALES_PORT:-5678}"
