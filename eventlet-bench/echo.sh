#!/usr/bin/env bash
# Echo load benchmark (issue 3): server CPU per round trip, throughput, latency, heap per idle connection.
# `./eventlet bench echo ARGS` (the repository's launcher) just calls this script with ARGS.
#
# Usage: eventlet-bench/echo.sh [--servers green:selector,jdk] [--connections 1,50,1000] [--sizes 64,4096]
#          [--duration 10s] [--warmup 3s] [--repeats 3] [--server-cpu 0] [--client-cpu 1] [--idle-connections 10000] ...
#        eventlet-bench/echo.sh --help
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
me=echo.sh
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
jar="$here/target/benchmarks.jar"

bench_find_jdk
bench_build_jar

# The idle-connection heap test opens --idle-connections sockets (10,000 by default) from here.
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 20000 ]] && ! ulimit -n 20000 2>/dev/null; then
  echo "echo.sh: warning: cannot raise 'ulimit -n' to 20000 (it is $(ulimit -n)); the heap test may run out of file descriptors" >&2
fi

# Pin the harness (the load generator) to --client-cpu; the servers it starts are pinned to --server-cpu.
client_cpu=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --client-cpu) client_cpu="${args[i+1]:-}" ;;
    --client-cpu=*) client_cpu="${args[i]#--client-cpu=}" ;;
  esac
done
if ! command -v taskset >/dev/null; then
  echo "echo.sh: needs taskset (package util-linux) to pin the load generator and the servers" >&2
  exit 1
fi

# Reports go to bench-results/ at the repository root, wherever this is started from.
cd "$root"
exec taskset -c "$client_cpu" "$jdk/bin/java" \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -cp "$jar" io.eventlet.bench.echo.EchoLoad "$@"
