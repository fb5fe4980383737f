#!/usr/bin/env bash
# Installs the Debian packages mynacheck needs, when they are missing.
#
#   scripts/install-debs.sh          the product (make demo): pcscd for real readers (it listens
#                                    on its Unix socket only), libpcsclite-dev + swig to build
#                                    pyscard where no wheel fits, fonts-ipaexfont-gothic for
#                                    Japanese text, the Qt runtime libraries for the GUI.
#   scripts/install-debs.sh --test   also what the tests need: vsmartcard-vpcd (virtual readers
#                                    for simulated cards through pcscd), iproute2 (the test
#                                    pcscd's loopback-only network namespace), xvfb + xauth.
#
# vsmartcard-vpcd's own reader.conf entry makes pcscd listen on 0.0.0.0:35963/35964, so it is
# never part of the product, and where the tests install it scripts/pcscd.sh disables that
# entry first (apt keeps the changed conffile) and runs the test pcscd in a namespace.
set -euo pipefail
packages=(pcscd libpcsclite-dev swig fonts-ipaexfont-gothic
          libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1)
test_mode=""
case "${1:-}" in
  --test) test_mode=1; packages+=(vsmartcard-vpcd iproute2 xvfb xauth) ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  if [ -n "$test_mode" ] && [ "$(id -u)" -eq 0 ]; then "$here/pcscd.sh" conf; fi
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-debs: missing Debian packages: ${missing[*]}" >&2
  echo "install-debs: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-debs: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [ -n "$test_mode" ]; then
  # Before the package arrives, so its all-interfaces entry is never read: our version of
  # its conffile is kept (--force-confold).
  "$here/pcscd.sh" conf
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >/dev/null
if [ -n "$test_mode" ]; then "$here/pcscd.sh" conf; fi
