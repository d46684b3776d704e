#!/usr/bin/env bash
# Installs the Debian packages garant's tests and demo use, when missing and when we can.
set -euo pipefail
needed=()
command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || needed+=(postgresql)
command -v espeak-ng >/dev/null 2>&1 || needed+=(espeak-ng)
command -v sox >/dev/null 2>&1 || needed+=(sox libsox-fmt-base)
command -v pdftotext >/dev/null 2>&1 || needed+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "garant: paquets Debian manquants : ${needed[*]} (installez-les : apt-get install ${needed[*]})." >&2
  echo "        Les tests qui en dépendent seront ignorés avec leur raison." >&2
  exit 0
fi
echo "garant: installation des paquets Debian : ${needed[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
