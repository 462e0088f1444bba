#!/usr/bin/env bash
# What the tests need from the system: Debian's Chromium for the browser tests, Pango and fonts for PDFs.
# Installed when missing and this user may (root with apt-get); otherwise the browser tests skip
# and say so.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || missing+=(fonts-dejavu-core)
# WeasyPrint's system libraries (Pango, HarfBuzz subsetting).
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
# poppler-utils: the sticker tests rasterise PDFs (pdftoppm) to decode their QR codes.
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} from Debian's packages…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null \
      || echo "Could not install ${missing[*]}; browser tests will be skipped."
  else
    echo "Missing ${missing[*]} (not root): browser tests will be skipped."
  fi
fi
