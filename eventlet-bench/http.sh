#!/usr/bin/env bash
# HTTP load benchmark (issue 5): a hello-world keep-alive server on each green hub, beside the
# JDK's com.sun.net.httpserver on virtual threads and Netty's HTTP codec on epoll (one event loop),
# each in its own JVM pinned to CPU 0, loaded by wrk (one thread, pinned to CPU 1).
# `./eventlet bench http ARGS` calls this script.
#
# Usage: eventlet-bench/http.sh [--servers green:epoll,green:poll,green:selector,jdk,netty]
#          [--connections 50,256] [--duration 10s] [--warmup 3s] [--repeats 3] [--output bench-results/http.md]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
me=http.sh
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
jar="$here/target/benchmarks.jar"
servers="green:epoll,green:poll,green:selector,jdk,netty"
connections="50,256"
duration="10s"
warmup="3s"
repeats=3
output="$root/bench-results/http.md"

while (( $# )); do
  case "$1" in
    --servers) servers="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "http.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null 2>&1 || { echo "http.sh: needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
bench_find_jdk
bench_build_jar

clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of the server JVM
to_seconds() { local d="$1"; case "$d" in *ms) echo "scale=3; ${d%ms}/1000" | bc ;; *s) echo "${d%s}" ;; *m) echo "$(( ${d%m} * 60 ))" ;; *) echo "$d" ;; esac; }
secs="$(to_seconds "$duration")"

rows=()
raw="$(mktemp)"
IFS=',' read -r -a server_list <<< "$servers"
IFS=',' read -r -a conn_list <<< "$connections"
for conns in "${conn_list[@]}"; do
  for server in "${server_list[@]}"; do
    case "$server" in
      green:*) args=(green "${server#green:}") ;;
      jdk) args=(jdk) ;;
      netty) args=(netty) ;;
      *) echo "http.sh: unknown server $server" >&2; exit 2 ;;
    esac
    for run in $(seq 1 "$repeats"); do
      coproc SERVER { exec taskset -c 0 "$jdk/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
          --enable-native-access=ALL-UNNAMED -Xmx1g -Dorg.slf4j.simpleLogger.log.io.eventlet.http.access=warn \
          -cp "$jar" io.eventlet.bench.http.HelloServer "${args[@]}"; }
      read -r ready port pid <&"${SERVER[0]}"
      [[ "$ready" == READY ]] || { echo "http.sh: $server did not start" >&2; exit 1; }
      url="http://127.0.0.1:$port/"
      taskset -c 1 wrk -t1 -c"$conns" -d"$warmup" "$url" > /dev/null
      before="$(cpu_ticks "$pid")"
      out="$(taskset -c 1 wrk -t1 -c"$conns" -d"$duration" --latency "$url")"
      after="$(cpu_ticks "$pid")"
      exec {SERVER[1]}>&-
      wait "$SERVER_PID" 2>/dev/null || true
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
      requests="$(awk '/requests in/ {print $1}' <<< "$out")"
      p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
      errors="$(awk '/Non-2xx|Socket errors/ {print}' <<< "$out" | tr '\n' ' ')"
      cpu_us="$(echo "scale=3; ($after - $before) * 1000000 / $clk_tck / $requests" | bc)"
      echo "[$server, $conns connections, run $run/$repeats] $rps req/s, p99 $p99, server CPU ${cpu_us} µs/req ${errors}" >&2
      echo "$server $conns $rps $p99 $cpu_us" >> "$raw"
    done
  done
done

# Medians of the runs per (server, connections).
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
{
  echo "# HTTP load benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- JDK: $("$jdk/bin/java" -version 2>&1 | tail -1)"
  echo "- servers in their own JVM (-Xmx1g) pinned to CPU 0; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') with one thread pinned to CPU 1; $warmup warm-up, $duration measured, medians of $repeats runs"
  echo "- hello world (13 bytes, Content-Length, keep-alive); green access log off (it is an SLF4J INFO line per request)"
  echo "- server µs CPU/req: utime+stime of the server JVM (/proc/PID/stat) over the measured interval ÷ requests"
  echo
  echo "| server | connections | requests/s | p99 latency | server µs CPU/req | CPU/req vs jdk |"
  echo "|---|---:|---:|---:|---:|---:|"
  for conns in "${conn_list[@]}"; do
    jdk_cpu="$(awk -v c="$conns" '$1 == "jdk" && $2 == c {print $5}' "$raw" | median)"
    for server in "${server_list[@]}"; do
      rps="$(awk -v s="$server" -v c="$conns" '$1 == s && $2 == c {print $3}' "$raw" | median)"
      p99="$(awk -v s="$server" -v c="$conns" '$1 == s && $2 == c {print $4}' "$raw" | head -n "$(( (repeats + 1) / 2 ))" | tail -1)"
      cpu="$(awk -v s="$server" -v c="$conns" '$1 == s && $2 == c {print $5}' "$raw" | median)"
      ratio="-"
      [[ -n "$jdk_cpu" ]] && ratio="$(echo "scale=2; $jdk_cpu / $cpu" | bc)×"
      printf '| %s | %s | %.0f | %s | %s | %s |\n' "$server" "$conns" "$rps" "$p99" "$cpu" "$ratio"
    done
  done
  echo
  echo "Raw runs (server, connections, requests/s, p99, µs CPU/req):"
  echo
  echo '```'
  cat "$raw"
  echo '```'
} > "$output"
rm -f "$raw"
cat "$output"
