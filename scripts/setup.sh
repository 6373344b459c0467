# Shared by ./tinysim, ./run-tests and .ci/run: find or install what tinysim needs.
# Sourced, not executed. Messages go to stderr; on failure they say exactly what to install.

TINYSIM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# C1 only (TieredStopAtLevel=1): tinysim runs are short and their hot loops are native (Unicorn and the block
# hook), so C2 only costs CPU: on `tinysim compare` of the KWS pair it compiled for ~2 s of CPU, C1 for ~0.9 s,
# and the reference interpreter runs as fast under C1 after the first inference.
# Native access: the jar's manifest says Enable-Native-Access: ALL-UNNAMED. Giving --enable-native-access on the
# command line as well would make the class-data-sharing archive below unusable for the module graph (the JDK's
# base archive is dumped without it: "[error][cds] Mismatched values for property jdk.module.enable.native.access").
TINYSIM_JVM_OPTS="${TINYSIM_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss4m}"
# Class data sharing: an AppCDS archive of the classes a run loads (JDK, picocli, Jackson, tinysim), made right
# after each build (tinysim_build_if_needed) and remade by the JVM itself whenever it no longer matches the jar or
# the JDK (AutoCreateSharedArchive). It cuts the start-up of every command. TINYSIM_CDS=0 turns it off.
TINYSIM_CDS_ARCHIVE="$TINYSIM_HOME/target/tinysim.jsa"

tinysim_say() { echo "tinysim setup: $*" >&2; }

# Runs apt-get install for the given packages when we are root (or have passwordless sudo).
tinysim_apt_install() {
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else return 1; fi
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  tinysim_say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2 || {
    $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2
  }
}

tinysim_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*)
  local c v
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    v="$("$c/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')"
    if [ "${v:-0}" -ge 25 ] 2>/dev/null; then JAVA_HOME="$c"; export JAVA_HOME; return 0; fi
  done
  return 1
}

tinysim_has_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || [ -e "/usr/lib/x86_64-linux-gnu/$1" ]; }

tinysim_ensure_runtime() {
  if ! tinysim_find_jdk; then
    tinysim_say "no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm). tinysim needs Java 25 for java.lang.foreign."
    tinysim_say "install one, e.g. Temurin 25 from https://adoptium.net (Debian: apt-get install temurin-25-jdk after adding the Adoptium repository), then set JAVA_HOME."
    exit 69
  fi
  local missing=()
  tinysim_has_lib libunicorn.so.2 || missing+=(libunicorn2)
  tinysim_has_lib libcapstone.so.4 || missing+=(libcapstone4)
  if [ ${#missing[@]} -gt 0 ]; then
    if ! tinysim_apt_install "${missing[@]}"; then
      tinysim_say "missing native libraries: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
      exit 69
    fi
  fi
}

tinysim_ensure_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    tinysim_apt_install maven || { tinysim_say "Maven is needed to build tinysim: sudo apt-get install -y maven"; exit 69; }
  fi
}

# Rebuilds target/tinysim.jar when any source, board or prebuilt image is newer than it.
tinysim_build_if_needed() {
  local jar="$TINYSIM_HOME/target/tinysim.jar"
  if [ -f "$jar" ] && [ -z "$(find "$TINYSIM_HOME/src" "$TINYSIM_HOME/emulator" "$TINYSIM_HOME/boards" \
        "$TINYSIM_HOME/firmware-images/prebuilt" "$TINYSIM_HOME/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  tinysim_ensure_maven
  tinysim_say "building tinysim (first use or sources changed)..."
  local log="$TINYSIM_HOME/target/build.log"
  mkdir -p "$TINYSIM_HOME/target"
  if ! (cd "$TINYSIM_HOME" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
        mvn -B -Dstyle.color=never -DskipTests package >"$log" 2>&1); then
    grep -E "ERROR|BUILD FAILURE" "$log" | head -20 >&2
    tinysim_say "build failed; the full Maven log is $log"
    exit 70
  fi
  tinysim_make_cds_archive
}

# The JVM options that use the CDS archive (nothing when TINYSIM_CDS=0).
tinysim_cds_opts() {
  [ "${TINYSIM_CDS:-1}" = "0" ] && return 0
  # -Xlog:…=off: the JVM logs CDS problems (a stale archive, mismatched options) to stdout, where a JSON report goes
  echo "-XX:SharedArchiveFile=$TINYSIM_CDS_ARCHIVE -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:aot=off"
}

# Makes the CDS archive with a training run of `tinysim demo` (it loads what compare, fit and run load).
# A failure only costs start-up time: the JVM then makes the archive at the end of the next run.
tinysim_make_cds_archive() {
  [ "${TINYSIM_CDS:-1}" = "0" ] && return 0
  rm -f "$TINYSIM_CDS_ARCHIVE"
  tinysim_say "making the class-data-sharing archive (one training run)..."
  (cd "$TINYSIM_HOME/target" && "$JAVA_HOME/bin/java" $TINYSIM_JVM_OPTS $(tinysim_cds_opts) \
      -jar "$TINYSIM_HOME/target/tinysim.jar" demo --no-report --quiet >/dev/null 2>&1) || true
}

# Tools some tests use beyond the runtime: Chromium, in which the HTML report test lays the report out (headless, no
# network) and takes screenshots. Installed when we are root (or have passwordless sudo); CI must have it; elsewhere
# the test is skipped with a message.
tinysim_ensure_test_tools() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
      || command -v google-chrome >/dev/null 2>&1 || [ -n "${TINYSIM_CHROMIUM:-}" ]; then
    return 0
  fi
  if ! tinysim_apt_install chromium; then
    if [ -n "${CI:-}" ]; then
      tinysim_say "CI needs Chromium for the HTML report test: apt-get install -y chromium"; exit 69
    fi
    tinysim_say "no Chromium: the HTML report's browser test will be skipped (install it with: sudo apt-get install -y chromium)"
  fi
}
