#!/usr/bin/env python3
"""Per-image error split into luma and chroma (mean squared error on the 8-bit scale).

Usage: python3 Scripts/error_breakdown.py VALID_FOLDER JPEG_FOLDER CLEANED_FOLDER...
Prints RGB MSE, Y MSE and Cb²+Cr² MSE for the plain decode and each cleaned folder. Needs numpy, Pillow."""
import glob, os, sys
import numpy as np
from PIL import Image

def ycc(a):
    a = a.astype(np.float64); r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return np.stack([0.299*r + 0.587*g + 0.114*b, -0.168736*r - 0.331264*g + 0.5*b, 0.5*r - 0.418688*g - 0.081312*b], -1)

valid, jpegs, outs = sys.argv[1], sys.argv[2], sys.argv[3:]
print('image | RGB: decode, cleaned... | Y: ... | C: ...')
for f in sorted(glob.glob(os.path.join(valid, '*.png'))):
    n = os.path.basename(f)[:-4]
    o = np.asarray(Image.open(f).convert('RGB')).astype(np.float64)
    imgs = [np.asarray(Image.open(os.path.join(jpegs, n + '.jpg')).convert('RGB'))]
    imgs += [np.asarray(Image.open(os.path.join(d, n + '.clean.png')).convert('RGB')) for d in outs]
    yo = ycc(o)
    rgb = [((x - o) ** 2).mean() for x in imgs]
    y = [((ycc(x)[..., 0] - yo[..., 0]) ** 2).mean() for x in imgs]
    c = [((ycc(x)[..., 1:] - yo[..., 1:]) ** 2).sum(-1).mean() for x in imgs]
    print(n, '|', ' '.join('%.2f' % v for v in rgb), '|', ' '.join('%.2f' % v for v in y), '|', ' '.join('%.2f' % v for v in c))
