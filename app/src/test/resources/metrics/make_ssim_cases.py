#!/usr/bin/env python3
"""Expected SSIM and PSNR for org.reconview.metrics.SsimReferenceTest: writes ssim_cases.json next to this file.

scikit-image (and scipy) cannot be installed on the machines this project is built on (no PyPI access), so this is a
line-by-line numpy transcription of scikit-image 0.19's

    skimage.metrics.structural_similarity(im1, im2, channel_axis=-1, gaussian_weights=True, sigma=1.5,
                                          use_sample_covariance=False, data_range=1)
    skimage.metrics.peak_signal_noise_ratio(image_true, image_test, data_range=1)

for float64 inputs: scipy.ndimage.gaussian_filter(sigma=1.5, truncate=3.5) is the separable correlation with the
11-tap kernel exp(-x^2 / (2 sigma^2)) / sum (radius int(3.5 * 1.5 + 0.5) = 5), mode 'reflect' (numpy's 'symmetric'
padding), one axis after the other; the SSIM map is cropped by (win_size - 1) // 2 = 5 on every side and averaged in
float64, per channel, then the channel means are averaged. PSNR is 10 log10(data_range^2 / mean((a - b)^2)) over all
values. Only numpy is used. Image values are rounded to float32 first (the Java side stores images as float), so both
sides start from the same numbers.

Run once from the repository root: python3 app/src/test/resources/metrics/make_ssim_cases.py
Images are H x W x 3 (row 0 = top), stored in the JSON as nested lists [row][column][channel].
"""
import json
import os

import numpy as np


def gaussian_kernel1d(sigma, radius):
    # scipy.ndimage._filters._gaussian_kernel1d, order 0
    x = np.arange(-radius, radius + 1)
    phi_x = np.exp(-0.5 / (sigma * sigma) * x ** 2)
    return phi_x / phi_x.sum()


def correlate1d_reflect(image, weights, axis):
    # scipy.ndimage.correlate1d(image, weights, axis, mode='reflect', origin=0)
    r = (len(weights) - 1) // 2
    pad = [(0, 0)] * image.ndim
    pad[axis] = (r, r)
    padded = np.pad(image, pad, mode='symmetric')  # scipy 'reflect' = d c b a | a b c d | d c b a
    out = np.zeros_like(image, dtype=np.float64)
    n = image.shape[axis]
    for k, w in enumerate(weights):
        out += w * np.take(padded, np.arange(k, k + n), axis=axis)
    return out


def gaussian_filter(image, sigma, truncate):
    # scipy.ndimage.gaussian_filter: the 1-D filter along every axis in turn
    radius = int(truncate * sigma + 0.5)
    weights = gaussian_kernel1d(sigma, radius)
    out = image.astype(np.float64)
    for axis in range(image.ndim):
        out = correlate1d_reflect(out, weights, axis)
    return out


def crop(a, pad):
    return a[pad:a.shape[0] - pad, pad:a.shape[1] - pad]


def structural_similarity_2d(im1, im2, sigma=1.5, data_range=1.0, K1=0.01, K2=0.03):
    truncate = 3.5
    r = int(truncate * sigma + 0.5)
    win_size = 2 * r + 1
    if np.any((np.asarray(im1.shape) - win_size) < 0):
        raise ValueError('win_size exceeds image extent')
    im1 = im1.astype(np.float64)
    im2 = im2.astype(np.float64)
    cov_norm = 1.0  # use_sample_covariance=False: population covariance, as Wang et al. 2004
    ux = gaussian_filter(im1, sigma, truncate)
    uy = gaussian_filter(im2, sigma, truncate)
    uxx = gaussian_filter(im1 * im1, sigma, truncate)
    uyy = gaussian_filter(im2 * im2, sigma, truncate)
    uxy = gaussian_filter(im1 * im2, sigma, truncate)
    vx = cov_norm * (uxx - ux * ux)
    vy = cov_norm * (uyy - uy * uy)
    vxy = cov_norm * (uxy - ux * uy)
    R = data_range
    C1 = (K1 * R) ** 2
    C2 = (K2 * R) ** 2
    A1, A2, B1, B2 = (2 * ux * uy + C1, 2 * vxy + C2, ux ** 2 + uy ** 2 + C1, vx + vy + C2)
    D = B1 * B2
    S = (A1 * A2) / D
    pad = (win_size - 1) // 2
    return crop(S, pad).mean(dtype=np.float64)


def structural_similarity(im1, im2):
    # channel_axis=-1: loop over channels, then the mean of the per-channel means
    return float(np.mean([structural_similarity_2d(im1[..., c], im2[..., c]) for c in range(im1.shape[-1])]))


def peak_signal_noise_ratio(image_true, image_test, data_range=1.0):
    err = np.mean((image_true.astype(np.float64) - image_test.astype(np.float64)) ** 2, dtype=np.float64)
    return float(10 * np.log10((data_range ** 2) / err))


def as_float32(a):
    return a.astype(np.float32).astype(np.float64)


def cases():
    rs = np.random.RandomState(20240613)
    out = []

    x = rs.rand(16, 16, 3)
    y = np.clip(x + 0.1 * rs.randn(16, 16, 3), 0, 1)
    out.append(('random 16x16, reference plus clipped noise', x, y))

    h, w = 19, 23
    j, i, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing='ij')
    x = 0.5 + 0.4 * np.sin(0.31 * i + 0.17 * j * j / 4 + 1.3 * c)
    y = 0.45 + 0.35 * np.sin(0.29 * i + 0.18 * j * j / 4 + 1.3 * c + 0.2) + 0.02 * np.cos(1.7 * i * j)
    out.append(('formula 23x19 (W x H): two shifted chirps', x, y))

    x = rs.rand(32, 32, 3) ** 2
    y = 0.8 * x + 0.1 + 0.05 * rs.randn(32, 32, 3)
    out.append(('random 32x32, affine change plus noise', x, y))

    base = np.linspace(0, 1, 12 * 14 * 3).reshape(12, 14, 3)
    x = base + 0.01 * rs.randn(12, 14, 3)
    y = 1.3 * base - 0.2
    out.append(('ramp 14x12 (W x H) with values outside [0, 1] (not clamped)', x, y))

    x = rs.rand(11, 11, 3)
    y = rs.rand(11, 11, 3)
    out.append(('random 11x11: the smallest size, one valid pixel', x, y))
    return out


def main():
    result = {
        'generator': 'make_ssim_cases.py: numpy transcription of scikit-image 0.19 structural_similarity('
                     'channel_axis=-1, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1) '
                     'and peak_signal_noise_ratio(data_range=1)',
        'layout': 'image and reference: [row][column][channel], row 0 = top, values already encoded (linear)',
        'cases': [],
    }
    for name, x, y in cases():
        x = as_float32(x)
        y = as_float32(y)
        result['cases'].append({
            'name': name,
            'width': int(x.shape[1]),
            'height': int(x.shape[0]),
            'mssim': structural_similarity(y, x),
            'psnr': peak_signal_noise_ratio(y, x),
            'image': x.tolist(),
            'reference': y.tolist(),
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ssim_cases.json')
    with open(path, 'w') as f:
        json.dump(result, f)
        f.write('\n')
    for c in result['cases']:
        print('%-62s mssim %.15f  psnr %.12f' % (c['name'], c['mssim'], c['psnr']))


if __name__ == '__main__':
    main()
