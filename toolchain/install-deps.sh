#!/usr/bin/env bash
# Install the Debian packages listed in packages.txt (or the file given as $1) that are
# missing. Idempotent: when everything is present it only runs dpkg-query once (well under a
# second).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=${1:-$here/packages.txt}

want=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" | tr -s ' \t' '\n' | sort -u)
# One dpkg-query for the whole list (one per package took seconds on a busy machine); it
# names only the packages dpkg knows, so any other one is missing too.
declare -A installed=()
while IFS=$'\t' read -r pkg status; do
    [ "$status" = "install ok installed" ] && installed[$pkg]=1
done < <(dpkg-query -W -f='${Package}\t${Status}\n' $want 2>/dev/null || true)
missing=()
for pkg in $want; do
    [ -n "${installed[$pkg]:-}" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "toolchain: installing ${#missing[@]} missing package(s): ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "toolchain: need root or sudo to install packages" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=900 -y --no-install-recommends)
# Refresh the package lists when they are missing or older than a day.
stamp=/var/lib/apt/periodic/update-success-stamp
lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)
if [ -z "$lists" ] && { [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; }; then
    $sudo apt-get -o DPkg::Lock::Timeout=900 update -q
fi
if ! $sudo apt-get "${apt_opts[@]}" install "${missing[@]}"; then
    # A stale list can name versions the mirror no longer has: refresh once and retry.
    $sudo apt-get -o DPkg::Lock::Timeout=900 update -q
    $sudo apt-get "${apt_opts[@]}" install "${missing[@]}"
fi
