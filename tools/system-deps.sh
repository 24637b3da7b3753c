#!/usr/bin/env bash
# System packages the readers and tests need beyond pip (Debian names), installed when missing:
#   LibreOffice writer + calc without GUI (.doc/.wps/.et conversion, test fixtures), Chinese fonts
#   (fonts-noto-cjk, fonts-wqy-zenhei: PDF exports of Chinese text), poppler-utils (pdftotext,
#   pdftoppm), qpdf (encrypted PDFs), chromium (the browser tests of the web pages drive
#   /usr/bin/chromium through Playwright; `playwright install` is never run).
# Quick and silent when everything is there (no apt-get run). Otherwise `apt-get update` once,
# then a non-interactive install, as root (CI) or through passwordless sudo.
#   --dry-run   only print the packages that would be installed ("none" when nothing is missing)
set -euo pipefail

dry_run=0
[ "${1:-}" = "--dry-run" ] && dry_run=1

missing=()
need() { missing+=("$@"); }

soffice_bin=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice_bin" ]; then
    need libreoffice-writer-nogui libreoffice-calc-nogui
else
    program=$(dirname "$(readlink -f "$soffice_bin")")
    [ -e "$program/libswlo.so" ] || need libreoffice-writer-nogui
    [ -e "$program/libsclo.so" ] || need libreoffice-calc-nogui
fi
command -v fc-list >/dev/null || need fontconfig
has_font() { command -v fc-list >/dev/null && [ -n "$(fc-list "$1" family 2>/dev/null)" ]; }
has_font "Noto Serif CJK SC" && has_font "Noto Sans CJK SC" || need fonts-noto-cjk
has_font "WenQuanYi Zen Hei" || need fonts-wqy-zenhei
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || need poppler-utils
command -v qpdf >/dev/null || need qpdf
[ -x /usr/bin/chromium ] || need chromium

if [ "$dry_run" = 1 ]; then
    if [ ${#missing[@]} -eq 0 ]; then echo "none"; else echo "${missing[*]}"; fi
    exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "system-deps: missing ${missing[*]}; install them as root (apt-get install --no-install-recommends ${missing[*]})" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "system-deps: missing ${missing[*]} and no apt-get on this machine; install them by hand" >&2
    exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
