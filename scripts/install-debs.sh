#!/usr/bin/env bash
# Installs the Debian packages mynacheck's demo and tests need, when they are missing.
# pcscd + vsmartcard-vpcd: the real PC/SC stack with a virtual reader for simulated cards;
# libpcsclite-dev + swig: build pyscard where no wheel fits; fonts-ipaexfont-gothic: Japanese
# text on simulated cards and in the GUI; xvfb and the Qt runtime libraries: GUI tests and
# screenshots.
set -euo pipefail
packages=(pcscd vsmartcard-vpcd libpcsclite-dev swig fonts-ipaexfont-gothic xvfb xauth
          libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-debs: missing Debian packages: ${missing[*]}" >&2
  echo "install-debs: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-debs: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
