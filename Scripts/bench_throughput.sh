#!/usr/bin/env bash
# Issue 18's throughput measurements (items 1 and 2), as recorded in Notes/throughput.md:
#  1. the whole `unjpeg clean` command on a 12 MP q85 4:2:0 JPEG, --threads 1 against 2
#     (wall time, RUNS alternated pairs: the best of each and the median pair ratio; the two
#     PNGs must be byte-identical);
#  2. `clean` on a folder of 100 small JPEGs (400x300 tiles of the validation images,
#     Scripts/make_tile_folder.py), --jobs 1 against --jobs 2, each job --threads 1.
# Run it on an idle machine: it refuses while /work/runs/TRAINING (a training job) exists.
#
#   Scripts/bench_throughput.sh [SHARED_DIR] [WORK_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
work=${2:-/tmp/unjpeg-bench}
runs=${3:-3}
guard=/work/runs/TRAINING
bin=.build/release/unjpeg
mkdir -p "$work"
swift build -c release --product unjpeg >/dev/null

if [ ! -f "$work/mosaic_q85.jpg" ]; then
  [ -f "$work/mosaic.ppm" ] || python3 "$shared/tools/make_test_image.py" "$work/mosaic" "$shared"/data/train/photo_*.png >/dev/null
  python3 -c "from PIL import Image; Image.open('$work/mosaic.ppm').save('$work/mosaic_q85.jpg', quality=85, subsampling=2)"
fi
[ -d "$work/tiles100" ] || python3 Scripts/make_tile_folder.py "$work/tiles100" --source "$shared/data/valid" >/dev/null

# Wall time of one run of the command, in seconds.
wall() {
  if [ -e "$guard" ]; then echo "training is running ($guard): measurement pending" >&2; exit 3; fi
  local start end
  start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# Runs commands A and B (given as two strings) in alternation, $runs times each, so the
# machine's drift falls on both alike; prints "bestA bestB medianRatio" (ratio = B / A of each pair).
alternate() {
  local a=$1 b=$2 ta tb best_a="" best_b="" ratios=()
  for _ in $(seq "$runs"); do
    ta=$(wall $a); tb=$(wall $b)
    if [ -z "$best_a" ] || (( $(echo "$ta < $best_a" | bc -l) )); then best_a=$ta; fi
    if [ -z "$best_b" ] || (( $(echo "$tb < $best_b" | bc -l) )); then best_b=$tb; fi
    ratios+=("$(echo "$tb / $ta" | bc -l)")
  done
  local median
  median=$(printf "%s\n" "${ratios[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  printf "%.3f %.3f %.4f\n" "$best_a" "$best_b" "$median"
}

if [ -e "$guard" ]; then echo "training is running ($guard): measurement pending" >&2; exit 3; fi
lscpu | grep -E "^Model name|^CPU\(s\)" | sed 's/  */ /g'
echo "## one 12 MP image: clean --threads 1 vs 2"
read -r t1 t2 ratio < <(alternate "$bin clean $work/mosaic_q85.jpg -o $work/clean_t1.png --threads 1" \
                                 "$bin clean $work/mosaic_q85.jpg -o $work/clean_t2.png --threads 2")
cmp "$work/clean_t1.png" "$work/clean_t2.png" && echo "PNG bytes identical at 1 and 2 threads"
echo "threads 1: $t1 s, threads 2: $t2 s (best of $runs each), ratio of the bests $(echo "$t2 / $t1" | bc -l | cut -c1-5), median ratio of $runs alternated pairs $ratio"

echo "## 100 small JPEGs: clean --jobs 1 vs 2 (--threads 1)"
rm -rf "$work/tiles_j1" "$work/tiles_j2"
read -r j1 j2 jratio < <(alternate "$bin clean $work/tiles100 --out-dir $work/tiles_j1 --threads 1 --jobs 1 --quiet" \
                                  "$bin clean $work/tiles100 --out-dir $work/tiles_j2 --threads 1 --jobs 2 --quiet")
diff -r "$work/tiles_j1" "$work/tiles_j2" >/dev/null && echo "outputs identical with 1 and 2 jobs"
echo "jobs 1: $j1 s, jobs 2: $j2 s (best of $runs each), throughput x$(echo "$j1 / $j2" | bc -l | cut -c1-5) from the bests, x$(echo "1 / $jratio" | bc -l | cut -c1-5) from the median pair"
