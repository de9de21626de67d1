#!/usr/bin/env bash
# Installs every Debian package l3slice needs to build, test and benchmark.
# Debian 12 (bookworm). Run as root (or with sudo). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev                 # the network, training, serialisation (PyTorch 1.13 C++)
  libinsighttoolkit5-dev       # DICOM (via GDCM, incl. JPEG 2000), NIfTI, NRRD, MHA
  libgdcm-dev
  libdcmtk-dev                 # DICOM SEG and SR output (dcmseg, dcmsr)
  dicom3tools                  # dciodvfy: the tests validate every DICOM object written
  dcmtk                        # dsrdump: the tests read the SR back
  libcpp-httplib-dev           # the review page's local web server
  chromium nodejs              # the review page's browser test (headless Chromium driven by puppeteer-core)
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
else
  echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: done"
fi

# The browser test's driver, puppeteer-core, from the npm registry at the locked version (Node's
# npm comes with the nodejs package); it drives Debian's chromium, nothing is downloaded with it.
browser_tests="$(dirname "$0")/../tests/browser"
if [ ! -d "$browser_tests/node_modules/puppeteer-core" ]; then
  echo "install-deps: npm ci in tests/browser (puppeteer-core)"
  (cd "$browser_tests" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
