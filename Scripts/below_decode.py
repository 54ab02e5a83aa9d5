#!/usr/bin/env python3
"""List the images that a cleaner makes worse than their plain decode (issue 16 item 5).

For every PNG in a folder: runs `unjpeg eval --json` on it (the bundled model, or --model), and
optionally jpeg-quantsmooth beside it (`jpegqs -q 6 -t 1 -i 0`, decoded by Pillow), both on
Pillow's q85 4:2:0 JPEG of the image. Prints a table of the images below their decode for
either tool, with both gains, and a summary per group (screen_*, photo_*, art_*, other):
how many are below for each tool, the mean gains and how often unjpeg is ahead.

Measuring tool for developers (needs Python 3 with numpy and Pillow); the project never needs it
to build, run or test.

    python3 Scripts/below_decode.py --images FOLDER [--bin .build/release/unjpeg] [--model M]
        [--jpegqs ../shared/tools/peers/jpeg-quantsmooth/jpegqs] [--quality 85] [--json OUT]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image


def psnr(a, b):
    mse = ((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean()
    return float('inf') if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def group(name):
    for prefix in ('screen', 'photo', 'art'):
        if name.startswith(prefix):
            return prefix
    return 'other'


def unjpeg_gains(args):
    command = [args.bin, 'eval', '--images', args.images, '--json', '--threads', '1', '--quality', str(args.quality)]
    if args.model:
        command += ['--model', args.model]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    gains = {}
    for line in out.splitlines():
        record = json.loads(line)
        name = record.get('image', '')
        if name and not name.startswith('mean'):
            gains[name] = record['gain_db']
    return gains


def jpegqs_gains(args, names):
    gains = {}
    with tempfile.TemporaryDirectory() as tmp:
        jpg, refined = os.path.join(tmp, 'in.jpg'), os.path.join(tmp, 'out.jpg')
        for name in names:
            image = Image.open(os.path.join(args.images, name + '.png')).convert('RGB')
            original = np.asarray(image)
            image.save(jpg, quality=args.quality, subsampling=2)
            decode = np.asarray(Image.open(jpg).convert('RGB'))
            subprocess.run([args.jpegqs, '-q', '6', '-t', '1', '-i', '0', jpg, refined], check=True, capture_output=True)
            cleaned = np.asarray(Image.open(refined).convert('RGB'))
            gains[name] = psnr(original, cleaned) - psnr(original, decode)
    return gains


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--images', required=True, help='folder of clean PNGs')
    parser.add_argument('--bin', default='.build/release/unjpeg')
    parser.add_argument('--model', help='model file (default: the bundled model)')
    parser.add_argument('--jpegqs', help='jpeg-quantsmooth binary; omitted: unjpeg only')
    parser.add_argument('--quality', type=int, default=85)
    parser.add_argument('--json', help='also write every gain as JSON lines here')
    args = parser.parse_args()

    ours = unjpeg_gains(args)
    theirs = jpegqs_gains(args, sorted(ours)) if args.jpegqs else {}
    if args.json:
        with open(args.json, 'w') as f:
            for name in sorted(ours):
                f.write(json.dumps({'image': name, 'unjpeg': ours[name], 'jpegqs': theirs.get(name)}) + '\n')

    below = [n for n in sorted(ours) if ours[n] < 0 or theirs.get(n, 0) < 0]
    print('| image | unjpeg gain (dB) | jpegqs -q 6 gain (dB) |')
    print('| --- | ---: | ---: |')
    for name in sorted(below, key=lambda n: ours[n]):
        other = '%+.2f' % theirs[name] if name in theirs else '–'
        print('| %s | %+.2f | %s |' % (name, ours[name], other))
    print()
    print('| group | images | unjpeg below decode | jpegqs below decode | unjpeg mean | jpegqs mean | unjpeg ahead |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for g in ('screen', 'photo', 'art', 'other'):
        names = [n for n in ours if group(n) == g]
        if not names:
            continue
        mean = sum(ours[n] for n in names) / len(names)
        if theirs:
            qs_below = str(sum(theirs[n] < 0 for n in names))
            qs_mean = '%+.3f' % (sum(theirs[n] for n in names) / len(names))
            ahead = str(sum(ours[n] > theirs[n] for n in names))
        else:
            qs_below = qs_mean = ahead = '–'
        print('| %s | %d | %d | %s | %+.3f | %s | %s |' % (g, len(names), sum(ours[n] < 0 for n in names),
                                                         qs_below, mean, qs_mean, ahead))
    return 0


if __name__ == '__main__':
    sys.exit(main())
