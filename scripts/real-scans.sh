#!/usr/bin/env bash
# Runs a model (default: the bundled spine atlas) on every shared real scan and prints one row per
# scan: truth, predicted first/last/middle, error in mm and slices, and the answer on scans without L3.
# Usage: scripts/real-scans.sh [--model FILE] [l3slice binary]     (outputs in $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
model=()
if [ "${1:-}" = "--model" ]; then model=(--model "$2"); shift 2; fi
l3slice=${1:-build-release/bin/l3slice}
shared=$(realpath "${L3SLICE_SHARED_DATA:-../shared/data}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# case id | scan | truth: L3 middle (canonical slice; body unless said) or "none"
scans=(
  "ct|totalseg-example/ct.nii.gz|74"
  "s0328|totalseg-s0328-bone-only/s0328_ct_bone_only_ge200HU.nii.gz|155"
  "tptbox|tptbox-spine-crop/ct.nii.gz|23"
  "upper-abdomen|totalseg-example/ct-upper-abdomen.nii.gz|none"
  "partial-dicom|totalseg-example/partial-dicom|none"
  "lidc-chest|real-negatives/lidc-idri-0001-chest|none"
  "acrin-headneck|real-negatives/acrin-flt-breast-001-headneck|none"
)
echo "case_id,image" > "$out/list.csv"
for s in "${scans[@]}"; do IFS='|' read -r id path truth <<<"$s"; echo "$id,$shared/$path" >> "$out/list.csv"; done
"$l3slice" predict --list "$out/list.csv" "${model[@]}" --out "$out" --no-qc >/dev/null 2>&1 || true

printf '| scan | slice mm | truth (L3 body middle) | answer | first-last | middle | error mm | error slices | level check |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for s in "${scans[@]}"; do
  IFS='|' read -r id path truth <<<"$s"
  json=$out/$id/prediction.json
  if [ ! -f "$json" ]; then printf '| %s | | %s | error | | | | | |\n' "$path" "$truth"; continue; fi
  /usr/bin/env python3 - "$json" "$path" "$truth" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); path, truth = sys.argv[2], sys.argv[3]
dz = j["scan"]["spacing_mm"][2]
row = [path, f"{dz:g}", "not in view" if truth == "none" else truth, j["status"]]
if j["l3"]:
    f, l, m = (j["l3"][k]["canonical_index"] for k in ("first", "last", "middle"))
    row += [f"{f}-{l}", str(m)]
    if truth != "none":
        e = m - int(truth); row += [f"{e * dz:+.1f}", f"{e:+d}"]
    else:
        row += ["false L3", ""]
else:
    row += ["", "", "missed" if truth != "none" else "correct", ""]
c = j.get("evidence", {}).get("level_check")
mm = c.get("l3_middle_mm_above_first_slice") if c else None
row.append("" if not c else c["verdict"] + ("" if mm is None else f" (L3 at {mm / dz:.1f})"))
print("| " + " | ".join(row) + " |")
PY
done
