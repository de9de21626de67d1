#!/usr/bin/env bash
# Retrains the bundled level check, models/level-check-phantoms.l3q: the level-counting sequence
# network that the default atlas carries as a second opinion (src/l3slice/atlas/level_check.h),
# trained on 1500 synthetic phantoms (seeds 20000-21499) and the real spine of the bundled atlas
# (s0328). Deterministic on a machine with the same thread count (2 here): about 22 minutes on 2
# cores. Then rebuild the atlas that carries it: scripts/build-default-atlas.sh.
# Usage: scripts/train-level-check.sh [l3slice binary]   (default: build-release/bin/l3slice)
set -euo pipefail
cd "$(dirname "$0")/.."
l3slice=${1:-build-release/bin/l3slice}
"$l3slice" train-level-check --atlas models/spine-atlas-s0328.l3a --out models/level-check-phantoms.l3q \
  --phantoms 1500 --epochs 30 --real-share 0.2 --seed 1 --threads 2
