#!/usr/bin/env bash
# System packages the suite needs: Debian's Chromium (browser journeys; never a downloaded
# browser), poppler-utils (pdftotext reads generated PDFs back) and gettext (msgfmt compiles the
# Russian catalog).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Не хватает системных пакетов: ${missing[*]}. Установите их (apt-get install -y ${missing[*]}) и повторите." >&2
  exit 1
fi
echo "Устанавливаю системные пакеты: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
