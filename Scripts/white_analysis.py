#!/usr/bin/env python3
"""Where pure-white pixels of the screenshots stay off: by distance to the nearest non-white pixel.

Usage: python3 Scripts/white_analysis.py VALID_FOLDER JPEG_FOLDER [CLEANED_FOLDER]
JPEG_FOLDER holds NAME.jpg (Pillow q85 4:2:0), CLEANED_FOLDER NAME.clean.png (unjpeg clean --out-dir).
Without CLEANED_FOLDER the plain decode is measured. Needs numpy, Pillow, scipy (measurement only)."""
import glob, os, sys
import numpy as np
from PIL import Image
from scipy import ndimage

valid, jpegs = sys.argv[1], sys.argv[2]
cleaned = sys.argv[3] if len(sys.argv) > 3 else None
bins = [(1, 1), (2, 2), (3, 4), (5, 8), (9, 16), (17, 10**6)]
tot = np.zeros(len(bins)); off = np.zeros(len(bins))
for f in sorted(glob.glob(os.path.join(valid, 'screen*.png'))):
    n = os.path.basename(f)[:-4]
    o = np.asarray(Image.open(f).convert('RGB')).astype(int)
    path = os.path.join(cleaned, n + '.clean.png') if cleaned else os.path.join(jpegs, n + '.jpg')
    c = np.asarray(Image.open(path).convert('RGB')).astype(int)
    white = (o == 255).all(-1)
    dist = ndimage.distance_transform_cdt(white, metric='chessboard')
    ok = (c == 255).all(-1)
    for k, (lo, hi) in enumerate(bins):
        m = white & (dist >= lo) & (dist <= hi)
        tot[k] += m.sum(); off[k] += (m & ~ok).sum()
    bad = white & ~ok
    dev = (255 - c[bad]).max(-1)
    print(n, 'white', white.sum(), 'off', bad.sum(), 'deviation 1,2,3,4,>=5:', np.bincount(np.minimum(dev, 5), minlength=6)[1:])
print('distance 1, 2, 3-4, 5-8, 9-16, >16: pixels', tot.astype(int), 'off %', np.round(100 * off / np.maximum(tot, 1), 1))
print('overall off %.2f %%' % (100 * off.sum() / tot.sum()))
