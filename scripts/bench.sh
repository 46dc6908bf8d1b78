#!/usr/bin/env bash
# Runs flowbench (release) with the machine and its load printed beside the figures.
# Usage: scripts/bench.sh [flowbench arguments...]   e.g. scripts/bench.sh --quick --json results.json
# FLOWBENCH_BIN: the release products folder (default: .build/release); it must hold flowbench,
# flowrun and flowbench-hello (`swift build -c release`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${FLOWBENCH_BIN:-.build/release}
for product in flowbench flowrun flowbench-hello; do
    [ -x "$bin/$product" ] || { echo "error: $bin/$product is missing: run swift build -c release" >&2; exit 1; }
done
# shellcheck source=services/env.sh
source scripts/services/env.sh
# The Code suite's task runners: this checkout's, not the ones next to the binary's folder.
export FLOWRUN_RUNNERS_DIR=${FLOWRUN_RUNNERS_DIR:-$PWD/runners}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(swift --version 2>/dev/null | head -1)"
echo "commit:  $(git rev-parse --short HEAD) $(git status --porcelain --untracked-files=no | grep -q . && echo '(with local changes)')"
echo "load before: $(uptime | sed 's/.*load average: //')"
status=0
"$bin/flowbench" --package-root "$PWD" "$@" || status=$?
echo "load after:  $(uptime | sed 's/.*load average: //')"
exit $status
