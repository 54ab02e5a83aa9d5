#!/usr/bin/env bash
# Writes the JPEGs of `unjpeg eval --quality … --subsampling … --double` for a folder of clean
# PNGs (the same bytes: Pillow's encoder, which unjpeg's matches) and runs the reference
# peers.py on each grid point, jpeg-quantsmooth -q 6 beside unjpeg, one summary per point.
# Usage: Scripts/peers_grid.sh IMAGES OUT [QUALITIES] [SUBSAMPLINGS] [FIRST_QUALITY]
#   e.g. Scripts/peers_grid.sh $DATA/valid /tmp/grid 50,75,85,95 4:2:0,4:4:4 90
# Needs python3 with Pillow and numpy, djpeg (libjpeg-turbo-progs), the peers' folder in
# $PEERS (default ../shared/tools) and a release build of unjpeg; $MODEL picks a model file. The tool itself never needs Python.
set -euo pipefail
images="$1"; out="$2"; qualities="${3:-75,85,95}"; samplings="${4:-4:2:0}"; first="${5:-90}"
tools="${PEERS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/tools}"
bin="$(cd "$(dirname "$0")/.." && pwd)/.build/release/unjpeg"
mkdir -p "$out"
python3 - "$images" "$out" "$qualities" "$samplings" "$first" <<'PY'
import sys, os
from PIL import Image
images, out, qualities, samplings, first = sys.argv[1:6]
sub = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}
for q in qualities.split(","):
    for s in samplings.split(","):
        for double in (False, True):
            point = os.path.join(out, f"q{q}-{s.replace(':', '')}" + ("-double" if double else ""))
            os.makedirs(point + "/jpeg", exist_ok=True); os.makedirs(point + "/orig", exist_ok=True)
            for name in sorted(os.listdir(images)):
                if not name.lower().endswith(".png"):
                    continue
                im = Image.open(os.path.join(images, name)).convert("RGB")
                stem = name[:-4]
                if double and im.width > 16 and im.height > 16:
                    # a first JPEG of the whole image, decoded and cropped by (3, 5) px so the
                    # final grid is shifted against the first's, as `unjpeg eval --double` does
                    im.save(point + "/first.jpg", quality=int(first), subsampling=2)
                    upload = Image.open(point + "/first.jpg").convert("RGB").crop((3, 5, im.width, im.height))
                    im = im.crop((3, 5, im.width, im.height))
                else:
                    upload = im
                im.save(f"{point}/orig/{stem}.png")
                upload.save(f"{point}/jpeg/{stem}.jpg", quality=int(q), subsampling=sub[s])
PY
for point in "$out"/q*; do
  python3 "$tools/peers.py" --images "$point/orig" --jpegs "$point/jpeg" --tsv "$point/peers.tsv" \
    --summary "$point/peers.md" --var peers="$tools/peers" --peers pillow,jpegqs-q6 --bin "$bin" \
    --extra "unjpeg:png={bin} clean --threads 1 ${MODEL:+--model $MODEL} {in} -o {out}" --runs 1 > "$point/peers.log" 2>&1
  echo "$point: $(grep -E '^\| (jpegqs-q6|unjpeg) ' "$point/peers.md" | cut -d'|' -f2,5-7 | tr '\n' ' ')"
done
