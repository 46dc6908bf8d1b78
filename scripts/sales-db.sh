#!/usr/bin/env bash
# Applies the Sales Machine's migrations (db/migrations/*.sql, in name order, each once, each in one
# transaction) and then db/seed.sql to the database at URL.
# Usage: scripts/sales-db.sh [--no-seed] URL
#   URL: a postgres:// URL whose role may create roles (the first run creates anon, authenticated
#   and service_role if missing), e.g. Supabase's postgres user or a local superuser.
set -euo pipefail
seed=1
if [ "${1:-}" = "--no-seed" ]; then seed=0; shift; fi
url=${1:?usage: scripts/sales-db.sh [--no-seed] postgres://user:pass@host:port/db}
root=$(cd "$(dirname "$0")/.." && pwd)
psql=(psql "$url" -v ON_ERROR_STOP=1 -q -X)

"${psql[@]}" -c "create table if not exists public.sales_schema_migrations (
    name text primary key, applied_at timestamptz not null default now())"
for file in "$root"/db/migrations/*.sql; do
    name=$(basename "$file")
    applied=$("${psql[@]}" -tA -c "select 1 from public.sales_schema_migrations where name = '$name'")
    if [ "$applied" = "1" ]; then continue; fi
    echo "applying $name" >&2
    "${psql[@]}" --single-transaction \
        -f "$file" \
        -c "insert into public.sales_schema_migrations (name) values ('$name')"
done
if [ "$seed" = 1 ]; then
    echo "applying seed.sql" >&2
    "${psql[@]}" --single-transaction -f "$root/db/seed.sql"
fi
