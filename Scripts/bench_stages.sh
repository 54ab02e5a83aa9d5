#!/usr/bin/env bash
# One line per binary: `unjpeg bench clean --threads 1` over JPEG files, each image's seconds per
# megapixel and stage shares weighted by its megapixels (Notes/throughput.md, "Cost"). Give two
# binaries to compare them on a shared machine: they alternate, ROUNDS times.
#
#   Scripts/bench_stages.sh [--model M] [--rounds N] BIN [BIN2 …] -- FILE.jpg …
set -euo pipefail
model=""; rounds=1; bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="--model $2"; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --) shift; break ;;
    *) bins+=("$1"); shift ;;
  esac
done
for _ in $(seq "$rounds"); do
  for bin in "${bins[@]}"; do
    # shellcheck disable=SC2086
    "$bin" bench clean $model --threads 1 "$@" 2>/dev/null | python3 -c "
import sys
rows = [[c.strip() for c in l.strip().strip('|').split('|')] for l in sys.stdin if l.startswith('|') and '---' not in l]
header, mp, total, mps, shares = None, None, 0.0, 0.0, {}
for r in rows:
    if r[0] == 'file': header = r; continue
    if r[1] == 'clean': mp = float(r[2])
    elif r[1].startswith('stage shares'):
        s = float(r[2]); total += s * mp; mps += mp
        for k, v in zip(header[3:], r[3:]): shares[k] = shares.get(k, 0) + float(v) / 100 * s * mp
print('$bin: s/MP %.3f |' % (total / mps), ' '.join('%s %.3f' % (k.replace('_pct', ''), v / mps) for k, v in shares.items()))
"
  done
done
