#!/usr/bin/env bash
# Installs the Debian packages mynacheck needs, when they are missing.
#
#   scripts/install-debs.sh --venv   what building .venv needs: pyscard has no Linux wheel, so
#                                    pip compiles it (libpcsclite-dev, swig, gcc, python3-dev),
#                                    and python3-venv for `python3 -m venv`.
#   scripts/install-debs.sh          the product (make demo): the above, pcscd for real readers
#                                    (it listens on its Unix socket only), fonts-ipaexfont-gothic
#                                    for Japanese text, the Qt runtime libraries for the GUI.
#   scripts/install-debs.sh --test   also what the tests need: vsmartcard-vpcd (virtual readers
#                                    for simulated cards through pcscd), iproute2 (the test
#                                    pcscd's loopback-only network namespace), xvfb + xauth
#                                    (make screenshots); and the fonts of the second,
#                                    independent card-face generator the OCR tests and bench
#                                    read (testcards/faces2): fonts-ipaexfont-mincho,
#                                    fonts-vlgothic, fonts-dejavu-core and -extra. Those fail
#                                    the tests when missing, so without root they stop make
#                                    like the product's packages.
#
# As root it installs what is missing. Without root it installs nothing: it names what is
# missing, with the command that installs it, and fails (exit 1) when the venv's or the
# product's packages are missing. When only the test packages are missing it says so and goes
# on (exit 0): they serve the pcscd tier, which needs root anyway and is then skipped with one
# line (tests/conftest.py). Under CI (the variable CI set) nothing is skipped: any missing
# package fails.
#
# vsmartcard-vpcd's own reader.conf entry makes pcscd listen on 0.0.0.0:35963/35964, so it is
# never part of the product, and where the tests install it scripts/pcscd.sh disables that
# entry first (apt keeps the changed conffile) and runs the test pcscd in a namespace.
set -euo pipefail
venv_packages=(python3-venv python3-dev gcc libpcsclite-dev swig)
product_packages=(pcscd fonts-ipaexfont-gothic
          libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1)
test_packages=(vsmartcard-vpcd iproute2 xvfb xauth)
test_mode=""
case "${1:-}" in
  --venv) product_packages=(); test_packages=() ;;
  # pcscd is the product's, but no test needs it outside the pcscd tier: without root, the
  # other tests go on without it.
  --test) test_mode=1
          for i in "${!product_packages[@]}"; do
            [ "${product_packages[$i]}" != pcscd ] || unset 'product_packages[i]'
          done
          test_packages=(pcscd "${test_packages[@]}")
          product_packages+=(fonts-ipaexfont-mincho fonts-vlgothic fonts-dejavu-core
                             fonts-dejavu-extra) ;;
  "") test_packages=() ;;
  *) echo "usage: $0 [--venv|--test]" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# The packages of "$@" that are not installed, one a line.
missing_of() {
  local pkg
  for pkg in "$@"; do installed "$pkg" || echo "$pkg"; done
}
mapfile -t missing_venv < <(missing_of "${venv_packages[@]}")
mapfile -t missing_product < <(missing_of "${product_packages[@]}")
mapfile -t missing_test < <(missing_of "${test_packages[@]}")
missing=("${missing_venv[@]}" "${missing_product[@]}" "${missing_test[@]}")

if [ ${#missing[@]} -eq 0 ]; then
  if [ -n "$test_mode" ] && [ "$(id -u)" -eq 0 ]; then "$here/pcscd.sh" conf; fi
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say() { echo "install-debs: $*" >&2; }
  say "not root, so nothing installed; missing Debian packages:"
  [ ${#missing_venv[@]} -eq 0 ] || say "  to build .venv (pip compiles pyscard): ${missing_venv[*]}"
  [ ${#missing_product[@]} -eq 0 ] \
    || say "  for the product and its tests (PC/SC, Japanese font, Qt for the GUI): ${missing_product[*]}"
  [ ${#missing_test[@]} -eq 0 ] || say "  for the pcscd tier of the tests: ${missing_test[*]}"
  # vsmartcard-vpcd only through this script, which disables its all-interfaces entry first.
  plain=()
  for pkg in "${missing[@]}"; do [ "$pkg" = vsmartcard-vpcd ] || plain+=("$pkg"); done
  [ ${#plain[@]} -eq 0 ] || say "install them with: sudo apt-get install --no-install-recommends ${plain[*]}"
  if [[ " ${missing[*]} " == *" vsmartcard-vpcd "* ]]; then
    say "vsmartcard-vpcd only with: sudo scripts/install-debs.sh --test (its own entry would" \
        "make pcscd listen on 0.0.0.0:35963/35964; the script disables it first)"
  fi
  if [ ${#missing_venv[@]} -ne 0 ] || [ ${#missing_product[@]} -ne 0 ]; then exit 1; fi
  if [ -n "${CI:-}" ]; then say "CI is set: nothing is skipped there"; exit 1; fi
  say "going on without them: the pcscd tier needs root anyway (sudo make test installs them)"
  exit 0
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
