#!/usr/bin/env bash
# Sets up a fresh machine for cpscreen and its tests: the Debian packages the
# tests use (LibreOffice to make and convert Word files, CJK fonts so PDFs made
# here carry real Chinese text, poppler for page images, Chromium and its driver for
# the HTML and web-page tests), then the package itself.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-zenhei poppler-utils chromium chromium-driver; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
