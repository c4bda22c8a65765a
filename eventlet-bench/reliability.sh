#!/usr/bin/env bash
# Reliability under hostile clients (issue 11): slowloris heads, slow bodies, idle keep-alives, a
# pipeliner that never reads, WebSocket frames claiming 16 MiB and descriptor exhaustion against an
# eventlet-http server on each hub (a child JVM per attack, pinned to --server-cpu, with its own
# ulimit -n), a legitimate client probing throughout. Writes bench-results/reliability.md.
# `./eventlet bench reliability ARGS` calls this script.
#
# Usage: eventlet-bench/reliability.sh [--hubs epoll,poll,selector] [--quick] [--attacks a,b]
#          [--output bench-results/reliability.md] [--server-cpu 0] [--client-cpu 1]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
me=reliability.sh
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
jar="$here/target/benchmarks.jar"

bench_find_jdk
bench_build_jar

# The harness holds up to 10,000 attacking sockets plus its probes; each server child gets the
# limit its attack calls for (ulimit -n 1024 for descriptor exhaustion) from the harness itself.
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 20000 ]] && ! ulimit -n 20000 2>/dev/null; then
  echo "reliability.sh: warning: cannot raise 'ulimit -n' to 20000 (it is $(ulimit -n)); the idle keep-alive attack may run out of descriptors" >&2
fi
command -v taskset >/dev/null || { echo "reliability.sh: needs taskset (util-linux)" >&2; exit 1; }

client_cpu=1
args=()
while (( $# )); do
  case "$1" in
    --client-cpu) client_cpu="${2:?--client-cpu needs a CPU list}"; shift 2 ;;
    --client-cpu=*) client_cpu="${1#--client-cpu=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

cd "$root"
exec taskset -c "$client_cpu" "$jdk/bin/java" \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -Xmx1g -cp "$jar" io.eventlet.bench.reliability.ReliabilityLoad ${args[@]+"${args[@]}"}
