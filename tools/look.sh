#!/usr/bin/env bash
# Converts a built deck to PDF with LibreOffice and its pages to PNG, for a look.
# Usage: tools/look.sh output/cocops_NO_nb.pptx  -> output/look/<name>/page-NN.png
set -euo pipefail
deck="$1"
name=$(basename "$deck" .pptx)
out="$(dirname "$deck")/look/$name"
rm -rf "$out" && mkdir -p "$out"
profile=$(mktemp -d)  # a profile of its own: a running LibreOffice would block the default one
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir "$out" "$deck" >/dev/null 2>&1
rm -rf "$profile"
pdfinfo "$out/$name.pdf" | grep Pages
pdftoppm -png -r "${DPI:-50}" "$out/$name.pdf" "$out/page"
echo "$out"
