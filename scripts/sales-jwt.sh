#!/usr/bin/env bash
# Prints a JWT as Supabase issues it (HS256, aud/role "authenticated") for the Sales Machine gateway.
# Usage: scripts/sales-jwt.sh [SUB] [EMAIL]   (secret: $SALES_JWT_SECRET, as in credentials.local.json)
set -euo pipefail
sub=${1:-00000000-0000-4000-8000-00000000000a}
email=${2:-founder@demo-founder.example}
secret=${SALES_JWT_SECRET:-local-sales-jwt-secret-with-at-least-32-characters}
now=$(date +%s)
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
claims=$(printf '{"aud":"authenticated","role":"authenticated","sub":"%s","email":"%s","iat":%d,"exp":%d}' \
    "$sub" "$email" "$now" $((now + 86400)) | b64)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -hmac "$secret" -binary | b64)
printf '%s.%s.%s\n' "$header" "$claims" "$signature"
