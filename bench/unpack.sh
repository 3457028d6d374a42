#!/usr/bin/env bash
# Layer unpack, side by side: the same multi-layer image (>= 300 MB uncompressed, many small files
# and some large ones, generated deterministically from a fixed seed) unpacked by
#   nvjrun load -i ARCHIVE        (docker save archive, into a fresh --root)
#   nvjrun load -i LAYOUT         (the OCI layout with gzip layers)
#   tar -xzf                      (each gzip layer blob, in order, into one directory)
#   umoci unpack                  (the OCI layout of the same image)
#   podman load -i ARCHIVE        (into its own --root under the work directory)
# timed in one run, round robin; prints a Markdown table of MB/s (uncompressed bytes / median wall time).
#
# Usage: bench/unpack.sh [--runs N] [--results FILE]
#   NVJRUN=build/bin/nvjrun (default), WORK=/tmp/nvjrun-bench-unpack (default, wiped)
#   --results FILE appends the "## Layer unpack" section to FILE (bench/RESULTS.md).
# Needs (apt): skopeo umoci podman openssl. Runs as root (ownership, device nodes).
set -euo pipefail

runs=3
results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "unpack.sh: unknown argument $1; see the header of $0" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
NVJRUN=${NVJRUN:-$here/build/bin/nvjrun}
WORK=${WORK:-/tmp/nvjrun-bench-unpack}
for tool in skopeo umoci podman openssl sha256sum; do
  command -v "$tool" >/dev/null || { echo "unpack.sh: $tool is missing; apt-get install $tool" >&2; exit 1; }
done
[ -x "$NVJRUN" ] || { echo "unpack.sh: $NVJRUN is missing; build it with mvn -pl launcher,packaging install -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "unpack.sh: run as root (layers keep owners and device nodes)" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/src" "$WORK/blobs"

# A deterministic byte stream: AES-128-CTR keystream under a fixed key (the seed).
stream() { # stream NAME BYTES
  local key
  key=$(printf '%s' "$1" | sha256sum | cut -c1-32)
  openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 -in /dev/zero 2>/dev/null | head -c "$2"
}
text() { stream "$1" "$2" | base64 -w 76 | head -c "$2"; }

echo "unpack.sh: generating the image content under $WORK/src" >&2
set +o pipefail # head ends the endless keystream with SIGPIPE, by design
# layer 1: many small text files (40 directories of files between 0.5 and 8.5 kB)
l1=$WORK/src/layer1
for i in $(seq 0 39); do
  size=$(( 500 + (i * 997) % 8000 ))
  mkdir -p "$l1/usr/share/pkg$i"
  text "small-$i" 3000000 | (cd "$l1/usr/share/pkg$i" && split -a 3 -b "$size" - f)
  ln -s "pkg$i" "$l1/usr/share/link$i"
done
mkdir -p "$l1/etc" && echo "base layer" > "$l1/etc/motd"
# layer 2: medium files, half random binary and half text (like shared libraries and data)
l2=$WORK/src/layer2
mkdir -p "$l2/usr/lib/bench"
for i in $(seq 0 199); do
  if [ $((i % 2)) = 0 ]; then stream "medium-$i" 524288; else text "medium-$i" 524288; fi > "$l2/usr/lib/bench/lib$i.so"
done
# layer 3: a few large incompressible files (model weights, CUDA libraries)
l3=$WORK/src/layer3
mkdir -p "$l3/opt/large"
for i in 0 1; do stream "large-$i" 52428800 > "$l3/opt/large/blob$i.bin"; done
# layer 4: an upper layer that deletes and replaces
l4=$WORK/src/layer4
mkdir -p "$l4/etc" "$l4/usr/share/pkg0"
: > "$l4/etc/.wh.motd"
: > "$l4/usr/share/pkg0/.wh..wh..opq"
text "upper" 100000 > "$l4/usr/share/pkg0/replaced"

set -o pipefail

# Layer blobs (gzip, as registries serve them) and an OCI layout of the image.
layout=$WORK/layout
mkdir -p "$layout/blobs/sha256"
layers_json=""
diff_ids=""
uncompressed=0
for n in 1 2 3 4; do
  tar --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner -C "$WORK/src/layer$n" -cf "$WORK/blobs/layer$n.tar" .
  uncompressed=$(( uncompressed + $(stat -c %s "$WORK/blobs/layer$n.tar") ))
  diff=$(sha256sum "$WORK/blobs/layer$n.tar" | cut -d' ' -f1)
  gzip -n -6 "$WORK/blobs/layer$n.tar"
  blob=$WORK/blobs/layer$n.tar.gz
  digest=$(sha256sum "$blob" | cut -d' ' -f1)
  cp "$blob" "$layout/blobs/sha256/$digest"
  layers_json="$layers_json${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$digest\",\"size\":$(stat -c %s "$blob")}"
  diff_ids="$diff_ids${diff_ids:+,}\"sha256:$diff\""
done
printf '{"architecture":"amd64","os":"linux","created":"2023-11-14T22:13:20Z","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$diff_ids" > "$WORK/config.json"
config=$(sha256sum "$WORK/config.json" | cut -d' ' -f1)
cp "$WORK/config.json" "$layout/blobs/sha256/$config"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[%s]}' \
  "$config" "$(stat -c %s "$WORK/config.json")" "$layers_json" > "$WORK/manifest.json"
manifest=$(sha256sum "$WORK/manifest.json" | cut -d' ' -f1)
cp "$WORK/manifest.json" "$layout/blobs/sha256/$manifest"
printf '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' \
  "$manifest" "$(stat -c %s "$WORK/manifest.json")" > "$layout/index.json"
archive=$WORK/bench.tar
skopeo copy --quiet "oci:$layout:bench" "docker-archive:$archive:localhost/bench:latest"
mkdir -p "$WORK/trash" && mv "$WORK/src" "$WORK/trash/src"
mb=$(awk -v b="$uncompressed" 'BEGIN { printf "%.1f", b / 1e6 }')
compressed=$(du -cb "$WORK"/blobs/*.tar.gz | tail -1 | cut -f1)
echo "unpack.sh: image of 4 layers, $mb MB uncompressed, $(awk -v b="$compressed" 'BEGIN { printf "%.1f", b / 1e6 }') MB as gzip; archive $(du -h "$archive" | cut -f1)" >&2

tar_cmd="for b in $WORK/blobs/layer1.tar.gz $WORK/blobs/layer2.tar.gz $WORK/blobs/layer3.tar.gz $WORK/blobs/layer4.tar.gz; do tar -xzf \$b -C $WORK/tar-out; done"
nvjrun_cmd="$NVJRUN --root $WORK/nvjrun-root load -q -i $archive"
nvjrun_oci_cmd="$NVJRUN --root $WORK/nvjrun-oci-root load -q -i $layout"
umoci_cmd="umoci unpack --image $layout:bench $WORK/umoci-bundle"
podman_cmd="podman --root $WORK/podman-root --runroot $WORK/podman-run --storage-driver overlay load -q -i $archive"

# Outputs of earlier runs are moved aside, not deleted, until the end: ext4 without a journal (as
# here) skips inodes deleted in the last 30 s when it allocates, which makes creating 40,000 files
# right after deleting 40,000 several times slower for whichever tool comes next.
sleep 35 # let the 30 s window of the old work directory's deletion pass
aside() { echo "if [ -e $1 ]; then mv $1 $WORK/trash/\$(date +%s%N); fi; sync"; }
names=("nvjrun load" "nvjrun load (OCI layout, gzip)" "tar -xzf" "umoci unpack" "podman load")
commands=("$nvjrun_cmd" "$nvjrun_oci_cmd" "$tar_cmd" "$umoci_cmd" "$podman_cmd")
prepares=("$(aside "$WORK/nvjrun-root")" "$(aside "$WORK/nvjrun-oci-root")" "$(aside "$WORK/tar-out"); mkdir $WORK/tar-out"
          "$(aside "$WORK/umoci-bundle")" "$(aside "$WORK/podman-root"); rm -rf $WORK/podman-run")
# Round robin, starting each round one tool later: the machine is shared and its load drifts, and
# timing each tool's runs back to back (as hyperfine does) would turn that drift into a bias.
times=$WORK/times.tsv
: > "$times"
TIMEFORMAT='%R %U %S'
for round in $(seq 1 "$runs"); do
  for k in $(seq 0 $(( ${#names[@]} - 1 ))); do
    i=$(( (k + round) % ${#names[@]} ))
    sh -c "${prepares[$i]}"
    if ! { time sh -c "${commands[$i]}" >"$WORK/last.log" 2>&1; } 2>"$WORK/time.out"; then
      echo "unpack.sh: ${names[$i]} failed:" >&2
      cat "$WORK/last.log" >&2
      exit 1
    fi
    measured=$(cat "$WORK/time.out")
    printf '%s\t%s\n' "${names[$i]}" "$(echo "$measured" | tr ' ' '\t')" >> "$times"
    echo "unpack.sh: round $round: ${names[$i]}: $measured (wall user sys, s)" >&2
  done
done

# Sanity: nvjrun's last run holds the same files as tar's.
cmp "$WORK/tar-out/opt/large/blob1.bin" "$(find "$WORK/nvjrun-root/layers" -path '*/diff/opt/large/blob1.bin' | head -1)"

median() { # median of the wall times of one tool
  awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
table=""
for name in "${names[@]}"; do
  m=$(median "$name")
  row=$(awk -F'\t' -v n="$name" -v m="$m" -v bytes="$uncompressed" '
    $1 == n { c++; u += $3; s += $4; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
    END { printf "| %s | %.2f s | %.2f–%.2f s | %.2f + %.2f s | %.1f MB/s |", n, m, min, max, u / c, s / c, bytes / 1e6 / m }' "$times")
  table="$table${table:+
}$row"
done
ratio=$(awk -v a="$(median "nvjrun load")" -v b="$(median "tar -xzf")" 'BEGIN { printf "%.2f", a / b }')

section="## Layer unpack

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores (shared; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end), \`bench/unpack.sh --runs $runs\`:
$runs rounds, each tool once per round in rotating order, into a fresh output directory (old ones are moved
aside, not deleted, during the run: this ext4 has no journal, and it skips inodes deleted in the last
30 s when it allocates, which slows whoever creates 40,000 files next by several times).
Image: 4 gzip layers, $mb MB uncompressed (40 dirs × small text files, 200 × 512 kB, 2 × 50 MB random, an
upper layer with a whiteout and an opaque directory), generated from a fixed seed; a docker save archive
made by skopeo for nvjrun and podman (skopeo stores its layers uncompressed, as docker save does), the
OCI layout with the gzip layers for umoci and for the second nvjrun row, the gzip blobs for tar.

| tool | median wall | range | CPU user + sys (mean) | MB/s (uncompressed / median) |
|---|---|---|---|---|
$table

nvjrun load / tar -xzf = ${ratio}x. Commands, exactly:

    $nvjrun_cmd
    $nvjrun_oci_cmd
    $tar_cmd
    $umoci_cmd
    $podman_cmd
"
echo "$section"
rm -rf "$WORK/trash"
if [ -n "$results" ]; then
  # Replace this script's section where it is, leaving the other scripts' sections as they are.
  if [ -f "$results" ] && grep -q '^## Layer unpack$' "$results"; then
    printf '%s\n' "$section" > "$WORK/section.md"
    awk -v file="$WORK/section.md" '
      /^## Layer unpack$/ { while ((getline line < file) > 0) print line; skip = 1; next }
      skip && /^## / { skip = 0 }
      !skip { print }' "$results" > "$results.tmp"
    mv "$results.tmp" "$results"
  else
    printf '\n%s' "$section" >> "$results"
  fi
fi
