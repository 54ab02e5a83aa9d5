#!/usr/bin/env python3
"""Writes the PNGReader test fixtures in Fixtures/generated/ (dev-time only; the outputs
are committed, so tests never need Python).

For every colour type and allowed bit depth, non-interlaced and Adam7-interlaced:
  NAME.png      written by this script with Python's zlib (rows filtered with all five
                filter types in turn, the zlib stream split over several IDAT chunks)
  NAME.samples  the expected stored samples, row-major and interleaved: one byte per
                sample for depths 1-8 (unpacked: a 2-bit sample is 0..3, palette images
                hold indices), two bytes big-endian per sample for depth 16
plus a few files written by Pillow itself (pillow_*.png) with their .samples, and
palette/gray/RGB files with tRNS.

Every file this script writes is read back with Pillow where Pillow supports the format,
and its samples are compared with the expected ones (assertion), so the fixtures do not
depend on this script's PNG writer alone.

Usage: python3 make_png_fixtures.py   (Pillow and numpy required)
"""
import os
import struct
import zlib

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated")
W, H = 13, 11  # odd sizes exercise partial bytes and empty Adam7 columns
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
DEPTHS = {0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]}
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_row(samples, depth):
    """Samples of one row (flat, interleaved) -> bytes."""
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    if depth == 8:
        return bytes(int(v) for v in samples)
    per = 8 // depth
    out = bytearray((len(samples) + per - 1) // per)
    for i, v in enumerate(samples):
        out[i // per] |= int(v) << (8 - depth * (i % per + 1))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prior, bpp):
    out = bytearray(len(row))
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i] if prior is not None else 0
        c = prior[i - bpp] if (prior is not None and i >= bpp) else 0
        pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][kind]
        out[i] = (x - pred) & 255
    return bytes([kind]) + bytes(out)


def image_data(pixels, depth, channels, interlaced):
    """pixels: H x W x channels array -> filtered scanlines (all passes)."""
    bpp = max(1, depth * channels // 8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    out = bytearray()
    k = 0
    for x0, y0, dx, dy in passes:
        sub = pixels[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prior = None
        for r in range(sub.shape[0]):
            row = pack_row(sub[r].reshape(-1), depth)
            out += filter_row(k % 5, row, prior, bpp)
            prior = row
            k += 1
    return bytes(out)


def write_png(path, pixels, color_type, depth, interlaced, palette=None, trns=None):
    ihdr = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], depth, color_type, 0, 0, int(interlaced))
    data = zlib.compress(image_data(pixels, depth, CHANNELS[color_type], interlaced), 9)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"gAMA", struct.pack(">I", 45455))
    if palette is not None:
        png += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        png += chunk(b"tRNS", trns)
    step = max(1, len(data) // 3)  # several IDAT chunks
    for i in range(0, len(data), step):
        png += chunk(b"IDAT", data[i:i + step])
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def write_samples(path, pixels, depth):
    flat = pixels.reshape(-1)
    with open(path, "wb") as f:
        f.write(flat.astype(">u2").tobytes() if depth == 16 else flat.astype(np.uint8).tobytes())


def pillow_check(path, pixels, color_type, depth, palette=None):
    """Pillow's decode must agree with the intended samples (where Pillow keeps them)."""
    im = Image.open(path)
    im.load()
    a = np.asarray(im)
    if color_type == 3:
        assert (a == pixels[..., 0]).all(), path
    elif color_type == 0 and depth < 8:
        scale = 255 // (2 ** depth - 1)
        if im.mode == "1":
            assert ((a > 0) == (pixels[..., 0] > 0)).all(), path
        else:
            assert (a.astype(int) == pixels[..., 0] * (scale if a.max() > 2 ** depth - 1 else 1)).all(), path
    elif color_type == 0 and depth == 16:
        assert (a.astype(int) == pixels[..., 0]).all(), path
    elif depth == 8:
        assert (a.reshape(pixels.shape) == pixels).all(), path
    # 16-bit RGB / alpha: Pillow reduces them to 8 bits; not compared.


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(12345)
    yy, xx = np.mgrid[0:H, 0:W]
    count = 0
    for color_type, depths in DEPTHS.items():
        ch = CHANNELS[color_type]
        for depth in depths:
            top = 2 ** depth - 1
            for interlaced in (False, True):
                # Smooth ramps plus noise, covering the full range of the depth.
                base = np.stack([(xx * (c + 2) + yy * 5) for c in range(ch)], axis=-1).astype(np.int64)
                pixels = (base * top // max(1, base.max()) + rng.integers(0, max(1, top // 8) + 1, base.shape)) % (top + 1)
                palette = None
                if color_type == 3:
                    entries = min(2 ** depth, 200)
                    pixels = pixels % entries
                    palette = rng.integers(0, 256, entries * 3).astype(np.uint8).tolist()
                pixels[0, 0] = 0
                pixels[-1, -1] = top if color_type != 3 else pixels[-1, -1]
                name = f"ct{color_type}_d{depth:02d}_{'adam7' if interlaced else 'plain'}"
                path = os.path.join(OUT, name + ".png")
                write_png(path, pixels, color_type, depth, interlaced, palette)
                write_samples(os.path.join(OUT, name + ".samples"), pixels, depth)
                pillow_check(path, pixels, color_type, depth, palette)
                count += 1

    # Transparency: palette alpha, gray key, RGB key (expected RGBA8 written as .rgba).
    pal = np.array([[0], [1], [2], [3]] * 3, dtype=np.int64).reshape(3, 4, 1)
    write_png(os.path.join(OUT, "trns_palette.png"), pal, 3, 8, False,
              palette=[255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9], trns=bytes([0, 128]))
    write_samples(os.path.join(OUT, "trns_palette.samples"), pal, 8)
    g = (np.arange(12).reshape(3, 4, 1) * 5000).astype(np.int64)
    write_png(os.path.join(OUT, "trns_gray16.png"), g, 0, 16, True, trns=struct.pack(">H", 10000))
    write_samples(os.path.join(OUT, "trns_gray16.samples"), g, 16)
    rgb = (np.arange(36).reshape(3, 4, 3) * 7).astype(np.int64)
    write_png(os.path.join(OUT, "trns_rgb8.png"), rgb, 2, 8, False, trns=struct.pack(">HHH", 21, 28, 35))
    write_samples(os.path.join(OUT, "trns_rgb8.samples"), rgb, 8)
    for name in ("trns_palette", "trns_gray16", "trns_rgb8"):
        im = Image.open(os.path.join(OUT, name + ".png")).convert("RGBA")
        if name == "trns_gray16":
            # Pillow clips I;16 to 255 in convert(); the reference rule is v >> 8.
            a = np.zeros((3, 4, 4), np.uint8)
            a[..., :3] = (g >> 8).astype(np.uint8)
            a[..., 3] = np.where(g[..., 0] == 10000, 0, 255)
        else:
            a = np.asarray(im)
        with open(os.path.join(OUT, name + ".rgba"), "wb") as f:
            f.write(a.astype(np.uint8).tobytes())
        count += 1

    # Files written by Pillow's own encoder (its filters and zlib settings).
    photo = np.clip(np.stack([xx * 19 + yy * 3, yy * 23, (xx * yy) % 256], -1) + rng.integers(0, 20, (H, W, 3)), 0, 255).astype(np.uint8)
    for mode, arr in (("RGB", photo), ("L", photo[..., 0]), ("RGBA", np.dstack([photo, photo[..., 1]])),
                      ("LA", np.dstack([photo[..., 0], photo[..., 2]]))):
        name = f"pillow_{mode.lower()}"
        Image.fromarray(arr, mode).save(os.path.join(OUT, name + ".png"), optimize=True)
        write_samples(os.path.join(OUT, name + ".samples"), arr, 8)
        count += 1
    print(f"wrote {count} fixtures to {OUT}")


if __name__ == "__main__":
    main()
