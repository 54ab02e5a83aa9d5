#!/usr/bin/env python3
"""Reference PSNR and SSIM for MetricsTests.swift, computed independently with numpy.

Run: python3 metrics_reference.py > metrics_reference.txt
The two test images are defined by integer formulas that MetricsTests.swift repeats.
SSIM: Wang et al. 2004, 11x11 Gaussian sigma 1.5 (normalised), K1 0.01, K2 0.03, L 255,
'valid' region (no padding), mean of the map; along an axis shorter than 11 the window is
the central part of the Gaussian (left radius (k-1)//2), renormalised.
"""
import numpy as np


def images(w, h):
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing="ij")
    a = (x * 37 + y * 101 + c * 53 + ((x * y) % 17) * 7) % 256
    b = np.clip(a // 2 + 60 + (x * 13 + y * 7 + c * 3) % 81 - 40, 0, 255)
    return a.astype(np.float64), b.astype(np.float64)


def gaussian(length):
    left = (length - 1) // 2
    t = np.arange(length) - left
    g = np.exp(-t * t / (2 * 1.5 ** 2))
    return g / g.sum()


def ssim_plane(x, y):
    h, w = x.shape
    kh, kw = min(11, h), min(11, w)
    win = np.outer(gaussian(kh), gaussian(kw))
    oh, ow = h - kh + 1, w - kw + 1

    def filt(img):
        out = np.zeros((oh, ow))
        for r in range(oh):
            for c in range(ow):
                out[r, c] = (img[r:r + kh, c:c + kw] * win).sum()
        return out

    mx, my = filt(x), filt(y)
    vx = filt(x * x) - mx * mx
    vy = filt(y * y) - my * my
    cxy = filt(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    m = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    return m.mean()


for (w, h) in [(23, 17), (6, 5)]:
    a, b = images(w, h)
    mse = ((a - b) ** 2).mean()
    psnr = 10 * np.log10(255 ** 2 / mse)
    chan = [10 * np.log10(255 ** 2 / ((a[..., k] - b[..., k]) ** 2).mean()) for k in range(3)]
    wl = np.array([0.299, 0.587, 0.114])
    luma = ssim_plane((a * wl).sum(-1), (b * wl).sum(-1))
    rgb = np.mean([ssim_plane(a[..., k], b[..., k]) for k in range(3)])
    print(f"{w}x{h} mse={mse:.12f} psnr={psnr:.12f} "
          f"channel_psnr={chan[0]:.12f},{chan[1]:.12f},{chan[2]:.12f} "
          f"ssim_luma={luma:.12f} ssim_rgb={rgb:.12f}")
