#!/usr/bin/env python3
"""Dev-time input for `clean --jobs` throughput (issue 18 item 2): a folder of small JPEGs
cut from the validation images.

Each image in SOURCE_DIR (default ../shared/data/valid) gives tiles of 400x300 at a grid of
offsets (step 100x75, overlapping, so a dozen images give enough tiles); images smaller than a
tile are skipped. The first COUNT tiles (default 100), cycling over the images so that photos
and screenshots are mixed, are saved as Twitter-like JPEGs: Pillow quality 85, 4:2:0.

Usage (from the package root):
  python3 Scripts/make_tile_folder.py OUT_DIR [--source DIR] [--count 100]
Then, for example:
  .build/release/unjpeg clean OUT_DIR --out-dir /tmp/out --threads 1 --jobs 2
"""
import argparse
import glob
import os

from PIL import Image

W, H, SX, SY = 400, 300, 100, 75


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "valid"))
    ap.add_argument("--count", type=int, default=100)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    per_image = []
    for path in sorted(glob.glob(os.path.join(args.source, "*.png"))):
        im = Image.open(path).convert("RGB")
        boxes = [(x, y, x + W, y + H) for y in range(0, im.height - H + 1, SY) for x in range(0, im.width - W + 1, SX)]
        if boxes:
            per_image.append((os.path.splitext(os.path.basename(path))[0], im, boxes))
    written, round_ = 0, 0
    while written < args.count and any(round_ < len(b) for _, _, b in per_image):
        for name, im, boxes in per_image:
            if round_ < len(boxes) and written < args.count:
                im.crop(boxes[round_]).save(os.path.join(args.out, f"{name}_{round_:02d}.jpg"), quality=85, subsampling=2)
                written += 1
        round_ += 1
    print(f"{written} tiles of {W}x{H} from {len(per_image)} images in {args.out}")


if __name__ == "__main__":
    main()
