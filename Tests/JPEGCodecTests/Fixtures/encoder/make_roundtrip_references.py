#!/usr/bin/env python3
"""Pillow's decode of every encoder fixture JPEG, as an FNV-1a 64-bit hash of its pixels
(the decoder fixtures' hash), so the tests can check that our decoder reads the files our
encoder writes to exactly Pillow's pixels. Dev-time only; writes pillow_decodes.txt.

Each line: JPEG name, width, height, channels, hash (hex).
"""
import os
from PIL import Image


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


here = os.path.dirname(os.path.abspath(__file__))
lines = []
with open(os.path.join(here, "MANIFEST.txt")) as manifest:
    for line in manifest:
        if line.startswith("#") or not line.strip():
            continue
        name = line.split()[0]
        image = Image.open(os.path.join(here, name))
        image = image.convert("L" if image.mode == "L" else "RGB")
        channels = 1 if image.mode == "L" else 3
        lines.append(f"{name} {image.width} {image.height} {channels} {fnv1a64(image.tobytes()):016x}")
with open(os.path.join(here, "pillow_decodes.txt"), "w") as out:
    out.write("\n".join(lines) + "\n")
