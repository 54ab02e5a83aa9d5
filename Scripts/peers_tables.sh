#!/usr/bin/env bash
# Custom (non-libjpeg) quantization tables, for issue 17: JPEGs written by Pillow with its
# Photoshop-style presets (Pillow's JpegPresets: their own tables and sampling, nothing our
# training generator draws from), then the reference peers.py on each preset, jpeg-quantsmooth
# -q 6 beside unjpeg, one summary per preset.
# Usage: Scripts/peers_tables.sh IMAGES OUT [PRESETS]
#   e.g. Scripts/peers_tables.sh $DATA/valid /tmp/tables web_high,medium,high,maximum
# Needs python3 with Pillow and numpy, djpeg (libjpeg-turbo-progs), the peers' folder in
# $PEERS (default ../shared/tools) and a release build of unjpeg; $MODEL picks a model file. The tool itself never needs Python.
set -euo pipefail
images="$1"; out="$2"; presets="${3:-web_high,medium,high,maximum}"
tools="${PEERS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/tools}"
bin="$(cd "$(dirname "$0")/.." && pwd)/.build/release/unjpeg"
mkdir -p "$out"
python3 - "$images" "$out" "$presets" <<'PY'
import sys, os
from PIL import Image
images, out, presets = sys.argv[1:4]
for preset in presets.split(","):
    point = os.path.join(out, preset)
    os.makedirs(point + "/jpeg", exist_ok=True); os.makedirs(point + "/orig", exist_ok=True)
    for name in sorted(os.listdir(images)):
        if not name.lower().endswith(".png"):
            continue
        im = Image.open(os.path.join(images, name)).convert("RGB")
        im.save(f"{point}/orig/{name}")
        im.save(f"{point}/jpeg/{name[:-4]}.jpg", quality=preset)
PY
for point in "$out"/*/; do
  point=${point%/}
  info=$("$bin" info "$point/jpeg/$(ls "$point/jpeg" | head -1)" 2>/dev/null | grep -iE 'quality|sampling' | head -2 | tr '\n' ' ' || true)
  python3 "$tools/peers.py" --images "$point/orig" --jpegs "$point/jpeg" --tsv "$point/peers.tsv" \
    --summary "$point/peers.md" --var peers="$tools/peers" --peers pillow,jpegqs-q6 --bin "$bin" \
    --extra "unjpeg:png={bin} clean --threads 1 ${MODEL:+--model $MODEL} {in} -o {out}" --runs 1 > "$point/peers.log" 2>&1
  echo "$point ($info): $(grep -E '^\| (jpegqs-q6|unjpeg) ' "$point/peers.md" | cut -d'|' -f2,5-7 | tr '\n' ' ')"
done
