#!/usr/bin/env bash
# Installs the Debian packages dagsorden needs, once: LibreOffice for PDF (Writer for the documents
# and text bilag, Calc and Impress for spreadsheet and presentation bilag, and python3-uno, which
# lets Debian's python3 drive it), a font metric-compatible with Arial, poppler for reading PDFs
# back, pandoc for the benchmark that compares with it (make bench, run by make test),
# chromium-headless-shell for the browser tests of the web app and of the published site
# (Playwright drives it through executable_path; no browser is downloaded), git for the web
# app's history, and python3-venv where Python lacks ensurepip.
set -euo pipefail

packages=(
  libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui python3-uno
  fonts-liberation2 poppler-utils pandoc chromium-headless-shell git
)
python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installerer systempakker: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "Kan ikke installere ${missing[*]}: kør som root eller installer sudo." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
