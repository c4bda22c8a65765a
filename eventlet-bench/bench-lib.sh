# Shared by the load scripts (echo.sh, http.sh, reliability.sh, fuzz.sh): source it after setting
# `me` (the script's name, for messages), `root` (the repository) and, for bench_build_jar, `jar`.

# Sets `jdk` to a JDK 25 or newer: JAVA_HOME when it is one, else Temurin 25 where Debian puts it.
bench_find_jdk() {
  major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'; }
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(major "$JAVA_HOME")" -ge 25 ]]; then
    jdk="$JAVA_HOME"
  elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  else
    echo "$me: needs JDK 25 or newer: set JAVA_HOME to one (JAVA_HOME=${JAVA_HOME:-unset}; /usr/lib/jvm/temurin-25-jdk-amd64 is missing)" >&2
    exit 1
  fi
}

# Builds eventlet-bench when $jar is missing or older than any source or pom, so a run never
# measures stale code. Maven may run on any JDK >= 17; the toolchains plugin compiles on JDK 25.
bench_build_jar() {
  local stale=""
  if [[ -f "$jar" ]]; then
    stale="$( (find "$root" -maxdepth 2 -name pom.xml -newer "$jar"; find "$root" -path "$root/*/src/*" -type f -newer "$jar") 2>/dev/null | head -n 1 || true)"
    [[ -z "$stale" ]] || stale="$stale is newer than the jar"
  fi
  if [[ ! -f "$jar" || -n "$stale" ]]; then
    echo "$me: building $jar (${stale:-it is missing})" >&2
    (cd "$root" && mvn -q package -DskipTests -pl eventlet-bench -am) || {
      echo "$me: building eventlet-bench failed (cd $root && mvn package -DskipTests -pl eventlet-bench -am)" >&2; exit 1; }
  fi
}
