#!/usr/bin/env python3
"""Writes an OBJ mesh that no training scene contains, for evaluating the networks on unseen geometry: a pavilion of
twelve thin columns (2 cm) under a lattice dome of thin struts, a torus ring, a sphere and a stepped base. Plain
Python, deterministic. Usage: scripts/make-test-mesh.py OUT.obj"""
import math
import sys

verts, faces = [], []


def add(v):
    verts.append(v)
    return len(verts)


def cylinder(a, b, r, n=10):
    ax, ay, az = a
    bx, by, bz = b
    dx, dy, dz = bx - ax, by - ay, bz - az
    length = math.sqrt(dx * dx + dy * dy + dz * dz)
    dx, dy, dz = dx / length, dy / length, dz / length
    # two axes perpendicular to the direction
    ux, uy, uz = (0.0, 1.0, 0.0) if abs(dy) < 0.9 else (1.0, 0.0, 0.0)
    px, py, pz = dy * uz - dz * uy, dz * ux - dx * uz, dx * uy - dy * ux
    pl = math.sqrt(px * px + py * py + pz * pz)
    px, py, pz = px / pl, py / pl, pz / pl
    qx, qy, qz = dy * pz - dz * py, dz * px - dx * pz, dx * py - dy * px
    ring_a, ring_b = [], []
    for i in range(n):
        t = 2 * math.pi * i / n
        ox = r * (math.cos(t) * px + math.sin(t) * qx)
        oy = r * (math.cos(t) * py + math.sin(t) * qy)
        oz = r * (math.cos(t) * pz + math.sin(t) * qz)
        ring_a.append(add((ax + ox, ay + oy, az + oz)))
        ring_b.append(add((bx + ox, by + oy, bz + oz)))
    for i in range(n):
        j = (i + 1) % n
        faces.append((ring_a[i], ring_a[j], ring_b[j]))
        faces.append((ring_a[i], ring_b[j], ring_b[i]))


def sphere(c, r, nu=24, nv=16):
    idx = {}
    for v in range(nv + 1):
        for u in range(nu):
            th, ph = 2 * math.pi * u / nu, math.pi * v / nv
            idx[(u, v)] = add((c[0] + r * math.sin(ph) * math.cos(th), c[1] + r * math.cos(ph),
                               c[2] + r * math.sin(ph) * math.sin(th)))
    for v in range(nv):
        for u in range(nu):
            a, b = idx[(u, v)], idx[((u + 1) % nu, v)]
            c2, d = idx[((u + 1) % nu, v + 1)], idx[(u, v + 1)]
            faces.append((a, d, c2))
            faces.append((a, c2, b))


def box(x0, y0, z0, x1, y1, z1):
    p = [add((x, y, z)) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    for a, b, c, d in quads:
        faces.append((p[a], p[b], p[c]))
        faces.append((p[a], p[c], p[d]))


for k in range(3):
    s = 1.6 - 0.25 * k
    box(-s, 0.08 * k, -s, s, 0.08 * (k + 1), s)
R, H = 1.1, 1.7
for i in range(12):
    t = 2 * math.pi * i / 12
    cylinder((R * math.cos(t), 0.24, R * math.sin(t)), (R * math.cos(t), H, R * math.sin(t)), 0.02)
# ring on top of the columns
for i in range(48):
    t0, t1 = 2 * math.pi * i / 48, 2 * math.pi * (i + 1) / 48
    cylinder((R * math.cos(t0), H, R * math.sin(t0)), (R * math.cos(t1), H, R * math.sin(t1)), 0.035, 8)
# lattice dome: meridians and parallels of thin struts
for i in range(16):
    t = 2 * math.pi * i / 16
    for j in range(6):
        p0, p1 = math.pi / 2 * j / 6, math.pi / 2 * (j + 1) / 6
        a = (R * math.cos(p0) * math.cos(t), H + 0.8 * math.sin(p0), R * math.cos(p0) * math.sin(t))
        b = (R * math.cos(p1) * math.cos(t), H + 0.8 * math.sin(p1), R * math.cos(p1) * math.sin(t))
        cylinder(a, b, 0.012, 6)
for j in range(1, 6):
    p = math.pi / 2 * j / 6
    for i in range(32):
        t0, t1 = 2 * math.pi * i / 32, 2 * math.pi * (i + 1) / 32
        a = (R * math.cos(p) * math.cos(t0), H + 0.8 * math.sin(p), R * math.cos(p) * math.sin(t0))
        b = (R * math.cos(p) * math.cos(t1), H + 0.8 * math.sin(p), R * math.cos(p) * math.sin(t1))
        cylinder(a, b, 0.01, 6)
sphere((0, 0.75, 0), 0.45)
out = sys.argv[1]
with open(out + ".tmp", "w") as f:
    f.write("# reconview test mesh: pavilion (scripts/make-test-mesh.py)\n")
    for v in verts:
        f.write("v %.5f %.5f %.5f\n" % v)
    for a, b, c in faces:
        f.write("f %d %d %d\n" % (a, b, c))
import os
os.replace(out + ".tmp", out)
print("wrote %s: %d vertices, %d triangles" % (out, len(verts), len(faces)))
