#!/usr/bin/env bash
# Installs what the browser journeys and PDF output need from Debian's packages:
# Chromium (driven by Playwright) and a CJK font, without which pages and PDFs show boxes.
# `system-deps.sh font` checks the font only (what `make run` needs for PDFs).
set -euo pipefail
missing=()
[ "${1:-}" = "font" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} (Debian packages)"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  # An offline intranet box: browser journeys are skipped there; CI must have them.
  [ "${CI:-}" = "true" ] && { echo "ERROR: could not install ${missing[*]}" >&2; exit 1; }
  echo "WARNING: could not install ${missing[*]}; browser journeys will be skipped and PDFs cannot be made." >&2
elif [ "${CI:-}" = "true" ]; then
  echo "ERROR: ${missing[*]} missing and cannot be installed (not root)" >&2
  exit 1
else
  echo "WARNING: ${missing[*]} missing; browser journeys are skipped and PDFs cannot be made." \
       "Install: sudo apt-get install ${missing[*]} (or set ONEWINDOW_CJK_FONT)" >&2
fi
