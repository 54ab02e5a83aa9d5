#!/usr/bin/env python3
"""Measurements behind `Notes/experiments.md`, nineteenth round (where photos' error lies).

Two subcommands, both per image, on a folder of originals, the JPEGs made from them and
`unjpeg clean`'s outputs (named `<stem>.png` in the cleaned folder):

  split   Per-pixel squared error of Y, Cb and Cr (JFIF, from RGB) for the plain decode
          (Pillow) and the cleaned output, and each chroma error split into its 2 x 2 means
          (what the file's subsampled chroma carries) and the rest (what upsampling invents).
  wiener  The shifted-block Wiener shrinkage of the luma applied after the pipeline: the luma
          transformed at every `--step`-th offset of the 8 x 8 grid, each AC coefficient c
          scaled by c^2 / (c^2 + T * Q^2 / 12) (Q: the file's luma table), transformed back and
          averaged, clamped into the file's bins, and kept only for blocks more than `--near`
          px from a flat area (a 5 x 5 decode patch of range <= 1) whose samples do not split
          into two groups leaving less than `--two-group` of their variance. Prints the RGB
          PSNR of the cleaned output and of the output with the shrinkage.

    python3 Scripts/photo_error_leads.py split --originals ../shared/data/valid --jpegs J --cleaned C
    python3 Scripts/photo_error_leads.py wiener --originals ../shared/data/valid --jpegs J --cleaned C

The JPEGs must be baseline 4:2:0 files Pillow reads (e.g. saved by Pillow at q85). The file's
quantized luma coefficients are recovered as round(DCT(decoded Y) / Q), which is exact up to the
rare sample where the decode's rounding crosses half a step. Needs numpy, Pillow and scipy.
"""
import argparse
import glob
import os

import numpy as np
from PIL import Image
from scipy import ndimage

ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27,
          20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
          58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]


def dct_matrix():
    c = np.zeros((8, 8))
    for k in range(8):
        for x in range(8):
            c[k, x] = (np.sqrt(0.5) if k == 0 else 1.0) * 0.5 * np.cos((2 * x + 1) * k * np.pi / 16)
    return c


C = dct_matrix()


def to_ycc(rgb):
    a = rgb.astype(np.float64)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return (0.299 * r + 0.587 * g + 0.114 * b,
            -0.168735892 * r - 0.331264108 * g + 0.5 * b + 128,
            0.5 * r - 0.418687589 * g - 0.081312411 * b + 128)


def to_rgb(y, cb, cr):
    r = y + 1.402 * (cr - 128)
    g = y - 0.344136286 * (cb - 128) - 0.714136286 * (cr - 128)
    b = y + 1.772 * (cb - 128)
    return np.clip(np.rint(np.stack([r, g, b], -1)), 0, 255).astype(np.uint8)


def blocks(plane):
    h, w = plane.shape
    return plane.reshape(h // 8, 8, w // 8, 8).transpose(0, 2, 1, 3)


def unblocks(b):
    return b.transpose(0, 2, 1, 3).reshape(b.shape[0] * 8, b.shape[1] * 8)


def fdct(b):
    return np.einsum('ki,abij,lj->abkl', C, b, C)


def idct(b):
    return np.einsum('ik,abij,jl->abkl', C, b, C)


def psnr(a, b):
    return 10 * np.log10(255 ** 2 / np.mean((a.astype(np.float64) - b) ** 2))


def images(args):
    for path in sorted(glob.glob(os.path.join(args.jpegs, '*.jpg'))):
        stem = os.path.basename(path)[:-4]
        original = np.asarray(Image.open(os.path.join(args.originals, stem + '.png')).convert('RGB'))
        cleaned = np.asarray(Image.open(os.path.join(args.cleaned, stem + '.png')).convert('RGB'))
        yield stem, Image.open(path), original, cleaned


def chroma_split(out, original):
    h, w = original.shape[0] // 2 * 2, original.shape[1] // 2 * 2
    e = np.stack([a[:h, :w] - b[:h, :w] for a, b in zip(to_ycc(out)[1:], to_ycc(original)[1:])], -1)
    low = np.repeat(np.repeat(e.reshape(h // 2, 2, w // 2, 2, 2).mean((1, 3)), 2, 0), 2, 1)
    return (low ** 2).mean() * 2, ((e - low) ** 2).mean() * 2


def split(args):
    print('image | decode Y Cb Cr | ours Y Cb Cr | decode chroma 2x2-means + rest | ours')
    for stem, jpeg, original, cleaned in images(args):
        decode = np.asarray(jpeg.convert('RGB'))
        o = to_ycc(original)
        errs = [[np.mean((a - b) ** 2) for a, b in zip(to_ycc(x), o)] for x in (decode, cleaned)]
        print('%s | %.2f %.2f %.2f | %.2f %.2f %.2f | %.2f + %.2f | %.2f + %.2f' % (
            stem, *errs[0], *errs[1], *chroma_split(decode, original), *chroma_split(cleaned, original)))


def luma_table(jpeg, decoded_y):
    """The luma table in natural order: Pillow's order is checked against the decode."""
    table = jpeg.quantization[0]
    natural = np.zeros(64)
    for i, z in enumerate(ZIGZAG):
        natural[z] = table[i]
    best = None
    for q in (natural, np.array(table, float)):
        q = q.reshape(8, 8)
        r = fdct(blocks(decoded_y - 128)) / q
        miss = np.abs(r - np.rint(r)).mean()
        if best is None or miss < best[0]:
            best = (miss, q)
    return best[1]


def wiener(args):
    gains = []
    for stem, jpeg, original, cleaned in images(args):
        dy = np.asarray(jpeg.convert('YCbCr'))[..., 0].astype(np.float64)
        h8, w8 = dy.shape[0] // 8 * 8, dy.shape[1] // 8 * 8
        dy = dy[:h8, :w8]
        q = luma_table(jpeg, dy)
        n = np.rint(fdct(blocks(dy - 128)) / q)
        flat = (ndimage.maximum_filter(dy, 5) - ndimage.minimum_filter(dy, 5)) <= 1
        near = ndimage.binary_dilation(flat, iterations=args.near) if flat.any() else flat
        keep = near.reshape(h8 // 8, 8, w8 // 8, 8).any((1, 3))
        y, cb, cr = to_ycc(cleaned)
        yc = y[:h8, :w8] - 128
        # Two groups: the best split of the block's sorted samples, its within-group variance
        # against the block's.
        s = np.sort(blocks(yc).reshape(h8 // 8, w8 // 8, 64), -1)
        c1, c2 = np.cumsum(s, -1), np.cumsum(s * s, -1)
        k = np.arange(1, 64)
        total = c2[..., -1] - c1[..., -1] ** 2 / 64
        left = c2[..., :-1] - c1[..., :-1] ** 2 / k
        rs, rs2 = c1[..., -1:] - c1[..., :-1], c2[..., -1:] - c2[..., :-1]
        ratio = (left + rs2 - rs ** 2 / (64 - k)).min(-1) / np.maximum(total, 1e-6)
        keep |= ratio < args.two_group
        acc = np.zeros_like(yc)
        offsets = range(0, 8, args.step)
        for sy in offsets:
            for sx in offsets:
                b = fdct(blocks(np.roll(yc, (-sy, -sx), (0, 1))))
                dc = b[..., 0, 0].copy()
                b = b ** 3 / (b * b + args.T * q ** 2 / 12)
                b[..., 0, 0] = dc
                acc += np.roll(unblocks(idct(b)), (sy, sx), (0, 1))
        acc /= len(offsets) ** 2
        shrunk = np.clip(fdct(blocks(acc)), (n - 0.5) * q, (n + 0.5) * q)
        final = np.where(keep[..., None, None], fdct(blocks(yc)), shrunk)
        y2 = y.copy()
        y2[:h8, :w8] = unblocks(idct(final)) + 128
        before, after = psnr(cleaned, original), psnr(to_rgb(y2, cb, cr), original)
        gains.append(after - before)
        print('%s %.3f -> %.3f (%+.3f), %.1f %% of blocks shrunk' % (stem, before, after, after - before,
                                                                      100 * (1 - keep.mean())))
    print('mean %+.4f, worst %+.3f over %d images' % (np.mean(gains), min(gains), len(gains)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['split', 'wiener'])
    parser.add_argument('--originals', required=True)
    parser.add_argument('--jpegs', required=True)
    parser.add_argument('--cleaned', required=True)
    parser.add_argument('--T', type=float, default=0.5, help='noise factor (wiener)')
    parser.add_argument('--step', type=int, default=2, help='offset step, 1-8 (wiener)')
    parser.add_argument('--near', type=int, default=32, help='flat-area distance in px (wiener)')
    parser.add_argument('--two-group', type=float, default=0.1, help='two-group variance share (wiener)')
    args = parser.parse_args()
    split(args) if args.command == 'split' else wiener(args)


if __name__ == '__main__':
    main()
