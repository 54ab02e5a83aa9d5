#!/usr/bin/env python3
"""Writes the README's example: a synthetic tweet screenshot (from the project's training
corpus; its text and fonts are free to ship, see shared/data/SOURCES.md) re-encoded the way
Twitter does it: Pillow/libjpeg quality 85, 4:2:0 chroma. Dev-time only.

usage: python3 make_examples.py /path/to/shared/data
"""
import sys
from PIL import Image

data = sys.argv[1] if len(sys.argv) > 1 else "../../shared/data"
for name, source in [("tweet", "train/screen_001.png"), ("tweet-dark", "train/screen_002.png")]:
    image = Image.open(f"{data}/{source}").convert("RGB")
    image.save(f"{name}.png")
    image.save(f"{name}.jpg", quality=85, subsampling=2)
