# Shared by the bin/ launchers (source it; it defines functions and FULCRUM_ROOT, runs nothing else).
#
#   fulcrum_pom_property NAME   a property of the parent pom.xml (versions, java17.opens: kept there once)
#   fulcrum_java17_opens        the Java 17 flags Spark's driver needs, as one line
#   fulcrum_spark_home          ensures a SPARK_HOME assembled from Maven Central and exports the env
#                               Spark's launch code needs (SPARK_HOME, SPARK_SCALA_VERSION, SPARK_LOCAL_IP)
#                               plus the native-math env of bin/native-env

FULCRUM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fulcrum_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Maven's console library prints colour resets even in batch mode.
fulcrum_strip_colour() {
  sed 's/\x1b\[[0-9;]*m//g'
}

# sed, not mvn help:evaluate: instant, offline, and the properties read here are one-line literals.
fulcrum_pom_property() {
  local name=$1 value
  value=$(sed -n "s:.*<$name>\(.*\)</$name>.*:\1:p" "$FULCRUM_ROOT/pom.xml" | sed -n 1p)
  [[ -n "$value" ]] || fulcrum_die "property <$name> not found in $FULCRUM_ROOT/pom.xml"
  echo "$value"
}

fulcrum_java17_opens() {
  fulcrum_pom_property java17.opens
}

# Fills $SPARK_HOME/jars with spark-core, spark-sql, spark-mllib and their runtime dependencies, as a Spark
# distribution's jars/ (bin/spark-home/pom.xml says why it looks the way it does). Skipped when the
# marker names the wanted versions; a partial copy never gets the marker (copied to a temp dir first).
# A real Spark distribution (it has a RELEASE file) given as FULCRUM_SPARK_HOME is used as it is; any other
# jars/ without the marker is not ours to replace.
fulcrum_assemble_spark_home() {
  local home=$1 spark_version=$2 scala_version=$3
  # The modules are part of the marker: a SPARK_HOME assembled before spark-mllib was added is assembled again.
  local want="spark $spark_version scala $scala_version core sql mllib" marker="$home/.fulcrum-spark-release"
  if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]] || [[ -f "$home/RELEASE" ]]; then
    return 0
  fi
  if [[ -d "$home/jars" && ! -f "$marker" ]]; then
    fulcrum_die "$home/jars was not assembled by Fulcrum (no $(basename "$marker")): remove it or set FULCRUM_SPARK_HOME elsewhere"
  fi
  mkdir -p "$home"
  (
    # Two launchers started at once (a test and a shell) must not copy into the same dir.
    flock 9
    if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
      exit 0
    fi
    echo "Assembling SPARK_HOME ($want) in $home from Maven ..." >&2
    rm -rf "$home/jars" "$home/jars.tmp" "$marker"
    mvn -q -B -Dstyle.color=never -f "$FULCRUM_ROOT/bin/spark-home/pom.xml" dependency:copy-dependencies \
      -Dspark.version="$spark_version" -Dscala.binary.version="$scala_version" \
      -Dspark.home.jars="$home/jars.tmp" 2>&1 | fulcrum_strip_colour >&2 ||
      fulcrum_die "assembling SPARK_HOME failed (mvn above); nothing was left in $home/jars"
    mv "$home/jars.tmp" "$home/jars"
    echo "$want" >"$marker"
    echo "SPARK_HOME ready: $(ls "$home/jars" | wc -l) jars" >&2
  ) 9>"$home/.assemble.lock"
}

fulcrum_spark_home() {
  # Plain assignments, so that a property missing from pom.xml stops the script (set -e).
  local spark_version scala_version
  spark_version=$(fulcrum_pom_property spark.version)
  scala_version=$(fulcrum_pom_property scala.binary.version)
  export SPARK_HOME="${FULCRUM_SPARK_HOME:-$FULCRUM_ROOT/target/spark-home}"
  fulcrum_assemble_spark_home "$SPARK_HOME" "$spark_version" "$scala_version"
  # Without it Spark's launcher (Worker -> executor command) searches a source tree and fails:
  # "Cannot find any build directories".
  export SPARK_SCALA_VERSION="$scala_version"
  # Every port on loopback: the cluster and the driver talk over 127.0.0.1 on this machine.
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  fulcrum_native_env
}

# In a function so that bin/native-env sees no positional parameters of the caller (it reads $1).
fulcrum_native_env() {
  # shellcheck source=../native-env
  source "$FULCRUM_ROOT/bin/native-env"
}
