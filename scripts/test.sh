#!/usr/bin/env bash
# Runs every test (mvn -B verify) under a virtual display, installing Xvfb and Mesa first when missing.
# OpenGL tests run on Mesa llvmpipe: no GPU needed. CUDA tests skip with a stated reason where there is no driver.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/prereqs.sh"
reconview_ensure_prereqs
cd "$ROOT"
# One Xvfb for the whole run: GL test JVMs must not race for a display (see shared/NOTES.md).
RECONVIEW_XVFB_SCREEN=1280x720x24 reconview_with_xvfb mvn -B verify "$@"
