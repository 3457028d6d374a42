#!/usr/bin/env bash
# Container start-up, side by side: `/bin/true` in a container on the same busybox root file system
#   nvjrun run --rm --network none IMAGE /bin/true   (image imported into a fresh --root)
#   nvjrun run --rm IMAGE /bin/true                  (the same on the default bridge network)
#   nvjrun run --rm --network none --gpus all ...    (on a simulated 2-GPU host: NVML, driver files, ldconfig)
#   runc run -b BUNDLE                  (an OCI bundle of `runc spec` with the same rootfs)
#   crun run -b BUNDLE                  (the same bundle; hugetlb work-around below)
#   podman run --rm IMAGE /bin/true     (its own --root/--runroot, the image imported into it, runc)
#   docker run --rm IMAGE /bin/true     (only when a dockerd already answers; never started here)
# timed with hyperfine in one run; prints Markdown: medians, ratios to nvjrun, and where nvjrun's
# time goes (JVM start with and without the AOT cache, and its phases from NVJRUN_TRACE_TIMING=1).
#
# Usage: bench/start.sh [--runs N] [--results FILE]
#   NVJRUN=build/bin/nvjrun (default), WORK=/tmp/nvjrun-bench-start (default, wiped)
#   --results FILE replaces (or appends) the "## Container start" section of FILE (bench/RESULTS.md).
# Needs (apt): busybox-static runc podman hyperfine jq. Runs as root.
#
# crun 1.8 refuses the hybrid cgroup layout of these machines while the cgroup2 mount holds the
# hugetlb controller; mounting a v1 hugetlb hierarchy moves the controller there. The script mounts
# it only for the run and unmounts it on exit, which hands the controller back to cgroup2.
# crun is deliberately not installed: with crun installed, podman picks it and `podman run` fails
# on these machines outside this window. Without a crun on PATH the script unpacks Debian's crun
# package (apt-get download, dpkg -x) under WORK and runs it from there. podman is told to use runc,
# the runtime it uses on these machines.
set -euo pipefail

runs=30
results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "start.sh: unknown argument $1; see the header of $0" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
NVJRUN=${NVJRUN:-$here/build/bin/nvjrun}
WORK=${WORK:-/tmp/nvjrun-bench-start}
for tool in runc podman hyperfine jq; do
  command -v "$tool" >/dev/null || { echo "start.sh: $tool is missing; apt-get install $tool" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "start.sh: /bin/busybox is missing; apt-get install busybox-static" >&2; exit 1; }
[ -x "$NVJRUN" ] || { echo "start.sh: $NVJRUN is missing; build it with mvn -pl launcher,packaging install -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "start.sh: run as root (containers need namespaces, mounts and cgroups)" >&2; exit 1; }

hugetlb=""
podman_flags=()
cleanup() {
  set +e
  if [ ${#podman_flags[@]} -gt 0 ]; then
    podman "${podman_flags[@]}" rm -af >/dev/null 2>&1
    podman "${podman_flags[@]}" system reset -f >/dev/null 2>&1
  fi
  "$NVJRUN" --root "$WORK/nvjrun" container prune -f >/dev/null 2>&1
  "$NVJRUN" --root "$WORK/nvjrun" network reset >/dev/null 2>&1
  if [ -n "$hugetlb" ] && mountpoint -q "$hugetlb"; then
    find "$hugetlb" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
    umount "$hugetlb"
    # A v1 hierarchy whose removed groups are still dying outlives its last unmount, and cgroup2 stays
    # without hugetlb; mounting it once more, now empty, and unmounting ends it.
    for _ in 1 2 3; do
      grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null && break
      sleep 0.5
      mount -t cgroup -o hugetlb nvjrun-bench-hugetlb "$hugetlb" 2>/dev/null && umount "$hugetlb"
    done
  fi
  for m in $(awk -v w="$WORK" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r); do umount -l "$m"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
rm -rf "$WORK"
mkdir -p "$WORK"
load=$(cut -d' ' -f1-3 /proc/loadavg)

# One busybox root file system for everybody.
rootfs=$WORK/bundle/rootfs
mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,tmp,root}
cp /bin/busybox "$rootfs/bin/"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
tar -C "$rootfs" -cf "$WORK/busybox.tar" .

"$NVJRUN" --root "$WORK/nvjrun" import "$WORK/busybox.tar" busybox:bench >/dev/null

(cd "$WORK/bundle" && runc spec)
jq '.process.terminal = false | .process.args = ["/bin/true"]' "$WORK/bundle/config.json" > "$WORK/config.json"
mv "$WORK/config.json" "$WORK/bundle/config.json"

crun=$(command -v crun || true)
if [ -z "$crun" ]; then
  mkdir -p "$WORK/crun"
  (cd "$WORK/crun" && apt-get download crun libyajl2 >/dev/null 2>&1 && for deb in ./*.deb; do dpkg -x "$deb" root; done) ||
    { echo "start.sh: cannot fetch Debian's crun package (apt-get download crun); run apt-get update first" >&2; exit 1; }
  export LD_LIBRARY_PATH="$WORK/crun/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  crun=$WORK/crun/root/usr/bin/crun
fi

hugetlb_line=$(grep -c hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null || true)
if [ "${hugetlb_line:-0}" != 0 ]; then
  hugetlb=$WORK/hugetlb
  mkdir -p "$hugetlb"
  mount -t cgroup -o hugetlb nvjrun-bench-hugetlb "$hugetlb"
fi

podman_flags=(--root "$WORK/podman/root" --runroot "$WORK/podman/run" --runtime runc --cgroup-manager cgroupfs --events-backend file)
podman "${podman_flags[@]}" import "$WORK/busybox.tar" localhost/busybox:bench >/dev/null

# A simulated 2-GPU host for the --gpus row (tests/fakegpu: mock NVML, driver files, device nodes).
"$(dirname "$NVJRUN")/nvjrun-fakegpu" create "$WORK/gpuhost" --gpus 2 >/dev/null
gpu_host="--driver-root $WORK/gpuhost --dev-root $WORK/gpuhost --proc-root $WORK/gpuhost/proc"

commands=(
  -n "nvjrun run --rm" "$NVJRUN --root $WORK/nvjrun run --rm --network none busybox:bench /bin/true"
  -n "nvjrun run --rm (bridge network)" "$NVJRUN --root $WORK/nvjrun run --rm busybox:bench /bin/true"
  -n "nvjrun run --rm --gpus all (simulated)" "$NVJRUN $gpu_host --root $WORK/nvjrun run --rm --network none --gpus all busybox:bench /bin/true"
  -n "runc run" "runc --root $WORK/runc-state run -b $WORK/bundle bench-runc"
  -n "crun run" "$crun --root $WORK/crun-state run -b $WORK/bundle bench-crun"
  -n "podman run --rm" "podman ${podman_flags[*]} run --rm --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 localhost/busybox:bench /bin/true"
)
docker_note="docker: skipped, no dockerd answers on this machine (the benchmark never starts one)."
if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
  docker import "$WORK/busybox.tar" nvjrun-bench/busybox:bench >/dev/null
  commands+=(-n "docker run --rm" "docker run --rm --network none nvjrun-bench/busybox:bench /bin/true")
  docker_note="docker: $(docker version --format '{{.Server.Version}}' 2>/dev/null) (dockerd already running)."
fi

hyperfine -N --warmup 3 --runs "$runs" --export-json "$WORK/start.json" "${commands[@]}" >&2

# JVM start alone: `nvjrun version` with the AOT cache (the installed launcher) and without it.
java_cmd=$(sed -n 's/^JAVA=\${NVJRUN_JAVA:-\(.*\)}$/\1/p' "$NVJRUN")
lib=$(cd "$(dirname "$(readlink -f "$NVJRUN")")/../lib" && pwd)
hyperfine -N --warmup 3 --runs "$runs" --export-json "$WORK/jvm.json" \
  -n "nvjrun version (AOT cache)" "$NVJRUN version" \
  -n "nvjrun version (no AOT cache)" "$java_cmd --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m -cp $lib/* dev.nvjrun.launcher.Main version" >&2

# nvjrun's own phases, averaged over 20 runs.
phases=$(for i in $(seq 20); do NVJRUN_TRACE_TIMING=1 "$NVJRUN" --root "$WORK/nvjrun" run --rm --network none busybox:bench /bin/true 2>&1 >/dev/null; done |
  awk '/^nvjrun-timing:/ { sum[$2] += $3; n[$2]++; if (!($2 in order)) { order[$2] = ++k; names[k] = $2 } }
       END { for (i = 1; i <= k; i++) printf "| %s | %.1f |\n", names[i], sum[names[i]] / n[names[i]] }')

median() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .median * 1000' "$1"; }
base=$(median "$WORK/start.json" "nvjrun run --rm")
table=$(jq -r --argjson base "$base" '.results[] | "| `\(.command)` | \(.median * 1000 | . * 10 | round / 10) | \(.mean * 1000 | . * 10 | round / 10) ± \(.stddev * 1000 | . * 10 | round / 10) | \((.median * 1000 / $base) | . * 100 | round / 100) |"' "$WORK/start.json")
jvm=$(jq -r '.results[] | "| `\(.command)` | \(.median * 1000 | . * 10 | round / 10) |"' "$WORK/jvm.json")

marker="<!-- end of bench/start.sh output: notes below stay when it reruns -->"
section=$(cat <<EOF
## Container start

\`bench/start.sh --runs $runs\` on $(date -u '+%Y-%m-%d %H:%M') UTC ($(uname -r), $(nproc) cores, load average $load at the start, $(java_version=$("$java_cmd" -version 2>&1 | head -1); echo "$java_version")):
\`/bin/true\` in a container on the same busybox-static root file system, one hyperfine run
(\`hyperfine -N --warmup 3 --runs $runs\`). Ratio = median / nvjrun's median (above 1: slower than nvjrun).

| command | median ms | mean ± σ ms | ratio |
|---|---|---|---|
$table

$docker_note runc $(runc --version | head -1 | awk '{print $3}'), crun $("$crun" --version | head -1 | awk '{print $3}'), podman $(podman --version | awk '{print $3}').

Where nvjrun's time goes. JVM start alone (\`nvjrun version\`):

| command | median ms |
|---|---|
$jvm

Phases of \`nvjrun run --rm\` (\`NVJRUN_TRACE_TIMING=1\`, mean of 20 runs, ms; \`jvm-start-to-command\` is from the
JVM's own start time to the command, so it excludes exec and JVM boot before that):

| phase | ms |
|---|---|
$phases
$marker
EOF
)
echo "$section"
if [ -n "$results" ]; then
  touch "$results"
  # Only this section is replaced, up to the marker that ends it: notes written below the marker by
  # hand stay, and so do the other sections of the file.
  SECTION="$section" MARKER="$marker" awk 'BEGIN { section = ENVIRON["SECTION"]; marker = ENVIRON["MARKER"] }
    /^## Container start$/ { skip = 1; if (!done) { print section; done = 1 }; next }
    skip && $0 == marker { skip = 0; next }
    skip && /^## / { skip = 0; print ""; print }
    skip { next }
    { print }
    END { if (!done) { print ""; print section } }' "$results" > "$results.tmp"
  mv "$results.tmp" "$results"
fi
