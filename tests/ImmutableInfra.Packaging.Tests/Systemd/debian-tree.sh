#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints the path of a minimal Debian tree (systemd + dbus) for systemd-nspawn --boot, building it
# with debootstrap on first use. The tree is cached under /var/cache/immutableinfra-test/ keyed by a
# hash of what goes into it (release, mirror, variant, packages, layout version), so a change to any of
# them builds a fresh tree and reruns are instant.
# The mirror is the one this machine's apt already uses (read at run time, never written down here).
# Usage: debian-tree.sh   (needs root)
set -euo pipefail

cache=/var/cache/immutableinfra-test
# Bump when the post-debootstrap steps below change.
layout=1
variant=minbase
# systemd-sysv makes systemd PID 1; dbus is what systemctl talks to PID 1 through on some paths.
include=systemd,systemd-sysv,dbus
# shellcheck source=/dev/null
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}

mirror_from_apt() {
  # deb822 .sources first (URIs: line of a stanza whose Suites name the release), then one-line lists.
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '
      /^[[:space:]]*$/ { if (uri != "" && ok) { print uri; exit } uri = ""; ok = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
      END { if (uri != "" && ok) print uri }' "$file" | head -n1
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i + 1) == suite) print $i; break } }' "$file"
  done
}

mirror=$(mirror_from_apt | head -n1)
[ -n "$mirror" ] || { echo "debian-tree.sh: no apt source for $suite found" >&2; exit 1; }

key=$(echo "$layout $suite $mirror $variant $include" | sha256sum | cut -c1-16)
tree=$cache/debian-$suite-$key
if [ -f "$tree/.complete" ]; then
  echo "$tree"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$tree/.complete" ]; then
  rm -rf "$tree.partial"
  debootstrap --variant="$variant" --include="$include" "$suite" "$tree.partial" "$mirror" >&2
  # No getty, no network wait: the container only needs to reach multi-user.target quickly.
  rm -f "$tree.partial"/etc/systemd/system/getty.target.wants/*
  echo "immutableinfra-test" > "$tree.partial/etc/hostname"
  rm -rf "$tree"
  mv "$tree.partial" "$tree"
  touch "$tree/.complete"
fi
echo "$tree"
