#!/usr/bin/env bash
# Debian's Chromium (and CJK fonts, so screenshots show Chinese) for the browser tests.
# Playwright drives it through executable_path; it never downloads a browser of its own.
set -euo pipefail
if [[ -x /usr/bin/chromium ]] && fc-list 2>/dev/null | grep -qi "CJK"; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "browser.sh: install the Debian packages chromium and fonts-noto-cjk (needs root)" >&2
  exit 1
fi
echo "browser.sh: installing chromium and fonts-noto-cjk…" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >&2
