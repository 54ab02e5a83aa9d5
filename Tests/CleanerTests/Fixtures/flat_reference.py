#!/usr/bin/env python3
"""Reference flat-kept counts for MetricsTests.swift, by the definition of peers.py's
flat_counts (copied as a definition, computed with numpy).

Run: python3 flat_reference.py > flat_reference.txt
The two 60x45 RGB images are integer formulas that MetricsTests.swift repeats: large flat
rectangles (so that some equal pairs lie >= 9 px from any edge) and a sparse perturbation.
"""
import numpy as np


def images(w, h):
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing="ij")
    a = ((x // 23) * 70 + (y // 19) * 50 + c * 20) % 256
    b = a + (((x * 7 + y * 3) % 31 == 0) & (c == 1))
    return a.astype(np.int64), b.astype(np.int64)


def dilate(m, r):
    for _ in range(r):
        p = np.pad(m, 1)
        out = np.zeros_like(m)
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                out |= p[dy:dy + m.shape[0], dx:dx + m.shape[1]]
        m = out
    return m


def flat_counts(ref, out):
    eq = np.all(ref[:, 1:] == ref[:, :-1], axis=2)
    keep = np.all(out[:, 1:] == out[:, :-1], axis=2)
    far = eq & ~dilate(~eq, 8)
    return int(eq.sum()), int((eq & keep).sum()), int(far.sum()), int((far & keep).sum())


a, b = images(60, 45)
print("60x45 pairs=%d kept=%d far_pairs=%d far_kept=%d" % flat_counts(a, b))
