#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need where it is missing,
# starts the services they talk to on loopback, then runs `swift test`.
# Usage: scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v swift >/dev/null || { echo "error: the Swift toolchain is not on PATH" >&2; exit 1; }
# The schema test checks workflow files with Python's jsonschema, the reference validator.
python3 -c 'import jsonschema' 2>/dev/null || {
    log "installing python3 jsonschema"
    pip install -q jsonschema 2>/dev/null || apt_install python3-jsonschema
}

# Code nodes run in task-runner processes: Node.js (with Debian's jmespath module for $jmespath)
# and Python 3.
command -v node >/dev/null || apt_install nodejs
[ -e /usr/share/nodejs/jmespath ] || apt_install node-jmespath
command -v python3 >/dev/null || apt_install python3

if [ ! -d ../shared/conformance ]; then
    echo "error: ../shared/conformance is missing: the conformance tests read n8n's fixtures from ../shared beside the checkout" >&2
    exit 1
fi

# Integration tests talk to real PostgreSQL and Redis servers on loopback (Debian's packages),
# and the Redis backend links Debian's hiredis; the SQLite store links the system libsqlite3.
dpkg -s libhiredis-dev >/dev/null 2>&1 || apt_install libhiredis-dev
dpkg -s libsqlite3-dev >/dev/null 2>&1 || apt_install libsqlite3-dev
bash scripts/services/postgres.sh
bash scripts/services/redis.sh
# shellcheck source=services/env.sh
source scripts/services/env.sh

# n8n's node tests run with the process in UTC and the workflow zone America/New_York; so do ours.
export TZ=UTC

log "building"
swift build --build-tests
# Suites that start flowrun processes (serve, workers, recovery), psql or kill them run one test at
# a time after the others: they block on child processes, and on a small machine, run beside
# hundreds of parallel tests, they starve the test process's cooperative threads.
processes='QueueModeTests|QueueShutdownTests|WALCheckpointTests|QueueDispatcherTests|ErrorWorkflowCLITests|RateLimitWaitRestartTests|MultiProcessRateLimitTests|CrashTests|SalesDatabaseTests|SalesGatewayFunctionTests|SalesMachineEndToEndTests'
if [ $# -gt 0 ]; then
    log "testing (selected)"
    swift test --skip-build "$@"
else
    status=0
    log "testing (in parallel)"
    swift test --skip-build --skip "$processes" || status=$?
    log "testing the suites that run processes (one at a time)"
    swift test --skip-build --no-parallel --filter "$processes" || status=$?
    exit $status
fi
