#!/usr/bin/env bash
# Fuzzing run (issue 11): every Jazzer @FuzzTest of the repository (or the one named) fuzzed for
# --duration, one after another, through Maven with JAZZER_FUZZ=1 (Jazzer fuzzes one @FuzzTest per
# JVM). Writes bench-results/fuzz.md: per target executions, executions/s, corpus size and findings.
# `./eventlet bench fuzz ARGS` calls this script.
#
# Usage: eventlet-bench/fuzz.sh [--target NAME] [--duration 5m] [--output bench-results/fuzz.md] [--list]
#   NAME: a test class (ChunkedBodyFuzzTest: each of its @FuzzTest methods) or Class#method.
#   Findings (crash-*, timeout-*, ...) land in src/test/resources/<package>/<Class>Inputs/<method>/,
#   where every later `mvn verify` runs them as regression tests; the generated corpus in
#   <module>/.cifuzz-corpus/ (git-ignored) and grows from run to run; logs in <module>/target/fuzz/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
me=fuzz.sh
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
target_filter=""
duration="5m"
output="$root/bench-results/fuzz.md"
list_only=""

while (( $# )); do
  case "$1" in
    --target) target_filter="${2:?--target needs a NAME}"; shift 2 ;;
    --target=*) target_filter="${1#--target=}"; shift ;;
    --duration) duration="${2:?--duration needs a value like 5m}"; shift 2 ;;
    --duration=*) duration="${1#--duration=}"; shift ;;
    --output) output="${2:?}"; shift 2 ;;
    --list) list_only=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# 90, 90s, 5m, 1h -> seconds
to_seconds() {
  local d="$1"
  case "$d" in
    *[!0-9smh]* | "" ) echo "fuzz.sh: bad duration '$d' (use 90s, 5m or 1h)" >&2; exit 2 ;;
    *h) echo $(( ${d%h} * 3600 )) ;;
    *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}
seconds="$(to_seconds "$duration")"
(( seconds > 0 )) || { echo "fuzz.sh: --duration must be positive" >&2; exit 2; }

# Every "Class#method module package" of the repository: a method right after @FuzzTest(...).
discover() {
  local file module rel pkg cls
  while IFS= read -r file; do
    rel="${file#"$root"/}"
    module="${rel%%/*}"
    pkg="$(sed -n 's/^package \([a-zA-Z0-9_.]*\);.*/\1/p' "$file" | head -n 1)"
    cls="$(basename "$file" .java)"
    awk '/^[ \t]*@FuzzTest/ {want = 1; next} want && /void [a-zA-Z0-9_]+\(/ {match($0, /void [a-zA-Z0-9_]+\(/); print substr($0, RSTART + 5, RLENGTH - 6); want = 0}' "$file" |
      while IFS= read -r method; do echo "$cls#$method $module $pkg"; done
  done < <(grep -rlE --include='*.java' '^[[:space:]]*@FuzzTest' "$root"/*/src/test/java 2>/dev/null | sort)
}

targets=()
while IFS= read -r line; do
  name="${line%% *}"
  if [[ -z "$target_filter" || "$target_filter" == "$name" || "$target_filter" == "${name%%#*}" ]]; then
    targets+=("$line")
  fi
done < <(discover)
if (( ${#targets[@]} == 0 )); then
  echo "fuzz.sh: no @FuzzTest matches '${target_filter}'; there are:" >&2
  discover | awk '{print "  " $1}' >&2
  exit 2
fi
if [[ -n "$list_only" ]]; then
  printf '%s\n' "${targets[@]}" | awk '{print $1 "  (" $2 ")"}'
  exit 0
fi

# The forked test JVM runs on the JDK >= 25 the toolchains plugin picks; name it in the report.
bench_find_jdk
command -v mvn >/dev/null || { echo "fuzz.sh: needs mvn on the PATH" >&2; exit 1; }

rows=()
details=()
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
for entry in "${targets[@]}"; do
  read -r name module pkg <<< "$entry"
  cls="${name%%#*}"
  method="${name#*#}"
  inputs="$root/$module/src/test/resources/${pkg//.//}/${cls}Inputs/$method"
  corpus="$root/$module/.cifuzz-corpus/$pkg.$cls/$method"
  logdir="$root/$module/target/fuzz"
  mkdir -p "$logdir"
  log="$logdir/$cls-$method.log"
  before="$(ls "$inputs" 2>/dev/null | sort || true)"
  echo "fuzz.sh: fuzzing $name ($module) for ${seconds} s; log: ${log#"$root"/}" >&2
  # Jazzer takes the fuzzing time from @FuzzTest(maxDuration); its JUnit integration appends the
  # libFuzzer arguments of the jazzer.internal.arg.N configuration parameters (JUnit reads them
  # from system properties, which Surefire passes on) last, so this -max_total_time wins.
  # JaCoCo is off: its agent would instrument the same classes as Jazzer's, for nothing.
  # JUnit's per-test timeout (60 s in junit-platform.properties) is off: a fuzz run is one test
  # that lasts the whole duration, and a timeout in it makes libFuzzer save a fake "crash".
  set +e
  (cd "$root" && JAZZER_FUZZ=1 mvn -o -B test -pl "$module" -am \
      -Dtest="$name" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true -Djunit.jupiter.execution.timeout.mode=disabled \
      -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1="-max_total_time=$seconds" \
      > "$log" 2>&1)
  status=$?
  set -e
  # libFuzzer's last status line (#N ... corp: C/B ... exec/s: R) and its summary (Done N runs in S second(s)).
  last="$(grep -aE '^#[0-9]+' "$log" | tail -n 1 || true)"
  done_line="$(grep -aE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)"
  if [[ -n "$done_line" ]]; then
    execs="$(awk '{print $2}' <<< "$done_line")"
    secs="$(awk '{print $5}' <<< "$done_line")"
  else
    execs="$(sed -n 's/^#\([0-9]*\).*/\1/p' <<< "$last")"
    secs=""
  fi
  rate="$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<< "$last")"
  if [[ -n "$execs" && -n "$secs" && "$secs" -gt 0 ]]; then
    rate=$(( execs / secs ))
  fi
  coverage="$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p' <<< "$last")"
  corpus_files="$(find "$corpus" -type f 2>/dev/null | wc -l | tr -d ' ')"
  after="$(ls "$inputs" 2>/dev/null | sort || true)"
  new_findings="$(comm -13 <(echo "$before") <(echo "$after") | grep -E '^(crash|timeout|oom|leak|slow-unit)-' || true)"
  finding_count="$(grep -c . <<< "$new_findings" || true)"
  if [[ -z "$last" ]]; then
    verdict="did not fuzz (Maven exit $status; see the log)"
  elif (( finding_count > 0 )); then
    verdict="$finding_count: $(tr '\n' ' ' <<< "$new_findings")"
  elif (( status != 0 )); then
    verdict="none written, but Maven exit $status (see the log)"
  else
    verdict="none"
  fi
  rows+=("| \`$name\` | ${execs:-?} | ${rate:-?} | ${corpus_files} | ${coverage:-?} | $verdict |")
  if (( finding_count > 0 )) || [[ -z "$last" ]]; then
    reason="$(grep -aE 'FuzzTestFindingException|== Java Exception|AssertionError|ERROR\] ' "$log" | head -n 3 | cut -c1-400 || true)"
    details+=("- \`$name\`: ${reason:-no reason found in ${log#"$root"/}}")
  fi
  echo "fuzz.sh: $name: ${execs:-?} executions, ${rate:-?}/s, corpus $corpus_files, findings: $verdict" >&2
done

mkdir -p "$(dirname "$output")"
{
  echo "# Fuzzing run"
  echo
  echo "- date: $started"
  echo "- JDK: $("$jdk/bin/java" -version 2>&1 | tail -n 1) (the forked test JVM, picked by the toolchains plugin)"
  echo "- Jazzer: $(sed -n 's:.*<jazzer.version>\(.*\)</jazzer.version>.*:\1:p' "$root/pom.xml"), coverage-guided (libFuzzer), one @FuzzTest per JVM, ${seconds} s each"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- executions/s: libFuzzer's (its summary's runs ÷ seconds, else its last status line); corpus: files in <module>/.cifuzz-corpus/ after the run, kept between runs; coverage: libFuzzer's cov/ft at the end"
  echo "- findings: files Jazzer wrote into src/test/resources/<package>/<Class>Inputs/<method>/ in this run (each becomes a regression test in mvn verify)"
  echo
  echo "| target | executions | executions/s | corpus | coverage | findings |"
  echo "|---|---:|---:|---:|---|---|"
  printf '%s\n' "${rows[@]}"
  if (( ${#details[@]} > 0 )); then
    echo
    echo "Findings and failures:"
    echo
    printf '%s\n' "${details[@]}"
  fi
  echo
  echo "Rerun: \`./eventlet bench fuzz [--target Class[#method]] [--duration 5m]\`"
} > "$output"
cat "$output"
