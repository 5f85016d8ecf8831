# Sourced by .ci/run and knative/platform: exports JAVA_HOME for the newest JDK >= 21 on this machine.
# The default `java` on many hosts is 17, which cannot build or run release-21 bytecode.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

pick_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -n $candidate && -x $candidate/bin/javac ]] || continue
    major=$(java_major "$candidate")
    major=${major%%.*}
    if [[ $major =~ ^[0-9]+$ ]] && (( major >= 21 && major > best_major )); then
      best=$candidate
      best_major=$major
    fi
  done
  [[ -n $best ]] || { echo "no JDK 21 or newer found: install one or set JAVA_HOME" >&2; return 1; }
  echo "$best"
}

JAVA_HOME=$(pick_jdk)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
