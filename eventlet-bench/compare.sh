#!/usr/bin/env bash
# The side-by-side comparison (issue 6): the echo and HTTP load benchmarks for every hub and the
# rivals (plain JDK virtual threads, Netty NIO and epoll, the JDK HttpServer) in one run; writes
# bench-results/compare.md and bench-results/compare.png and prints the table.
# `./eventlet bench compare [--quick]` calls this script. --quick: 1 run of 3 s per cell.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/bench-results"
repeats=3; duration=5s; warmup=2s; http_duration=10s; http_warmup=3s
if [[ "${1:-}" == --quick ]]; then repeats=1; duration=3s; warmup=1s; http_duration=3s; http_warmup=2s; shift; fi
(( $# == 0 )) || { echo "compare.sh: unknown option $1 (only --quick)" >&2; exit 2; }
mkdir -p "$out"
"$here/echo.sh" --servers green:epoll,green:poll,green:selector,jdk,netty-epoll,netty-nio --connections 50,1000 --sizes 64 \
  --duration "$duration" --warmup "$warmup" --repeats "$repeats" --idle-connections 0 --output "$out/compare-echo.md" >&2
"$here/http.sh" --servers green:epoll,green:poll,green:selector,jdk,netty --connections 50,256 \
  --duration "$http_duration" --warmup "$http_warmup" --repeats "$repeats" --output "$out/compare-http.md" >&2
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
"$java" -Djava.awt.headless=true -cp "$here/target/benchmarks.jar" io.eventlet.bench.compare.CompareReport \
  "$out/compare-echo.md" "$out/compare-http.md" "$out/compare.md" "$out/compare.png"
echo "wrote $out/compare.md and $out/compare.png" >&2
