#!/usr/bin/env bash
# Installs every Debian package l3slice needs to build, test and benchmark.
# Debian 12 (bookworm). Run as root (or with sudo). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev                 # the network, training, serialisation (PyTorch 1.13 C++)
  libinsighttoolkit5-dev       # DICOM (via GDCM, incl. JPEG 2000), NIfTI, NRRD, MHA
  libgdcm-dev
  libcli11-dev                 # command line
  nlohmann-json3-dev           # JSON reports, model metadata, study files
  libeigen3-dev                # Gaussian-process linear algebra
  libnlopt-cxx-dev             # acquisition-function maximisation
  libfmt-dev                   # string formatting
  libpng-dev zlib1g-dev        # PNG export and QC pictures
  libgtest-dev libgmock-dev    # tests
  libbenchmark-dev             # benchmarks
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
