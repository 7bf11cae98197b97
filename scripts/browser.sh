#!/usr/bin/env bash
# Debian's Chromium (and CJK fonts, so screenshots show Chinese) for the browser tests.
# Playwright drives it through executable_path; it never downloads a browser of its own.
set -euo pipefail
source "$(dirname "$0")/debian.sh"
if [[ -x /usr/bin/chromium ]] && fc-list 2>/dev/null | grep -qi "CJK"; then
  exit 0
fi
debian_install browser.sh chromium fonts-noto-cjk
