# Sourced by scripts/test.sh (and by hand: `source scripts/services/env.sh`): where the test
# services listen. Tests read these variables and fail, never skip, when a service is unreachable.
export FLOWRUN_TEST_POSTGRES_URL="postgres://flowrun:flowrun@127.0.0.1:${FLOWRUN_TEST_PG_PORT:-55432}/flowrun"
export FLOWRUN_TEST_POSTGRES_ADMIN_URL="postgres://postgres:postgres@127.0.0.1:${FLOWRUN_TEST_PG_PORT:-55432}/postgres"
export FLOWRUN_TEST_REDIS_URL="redis://127.0.0.1:${FLOWRUN_TEST_REDIS_PORT:-56379}"
