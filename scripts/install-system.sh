#!/usr/bin/env bash
# Install the Debian packages the project needs beyond Python: CJK fonts (figures in ko/ja, PDF briefs),
# Chromium (PDF briefs via nbconvert webpdf) and poppler-utils (PDF checks in the tests).
# Idempotent; skips quietly what is present; never fails the build when it cannot install.
set -u
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# TrueType CJK fonts for the PDF brief (Chromium embeds TrueType as named CID fonts; Noto CJK is CFF).
fc-list 2>/dev/null | grep -qi "NanumGothic" || need+=(fonts-nanum)
fc-list 2>/dev/null | grep -qi "IPAGothic" || need+=(fonts-ipafont-gothic)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-system: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/tmp/krihs-apt.log 2>&1 \
    || echo "install-system: apt-get failed (see /tmp/krihs-apt.log); figures may lack CJK glyphs and PDFs will be skipped"
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "install-system: missing ${need[*]}; install them with: sudo apt-get install ${need[*]}"
fi
exit 0
