#!/bin/sh
# .deb post-install for Pinwheel. electron-builder runs this script instead of
# its own template, so it does that template's work as well as ours:
#   - the `pinwheel` command on PATH (/usr/bin/pinwheel -> /opt/Pinwheel/pinwheel);
#   - an AppArmor profile that lets Electron create its sandbox's user namespace
#     (Ubuntu 23.10+ restricts that, and Electron aborts at launch without it);
#   - chrome-sandbox setuid only where the kernel has no user namespaces at all;
#   - the desktop and MIME databases refreshed, so the menu entry shows;
#   - our udev rules, so a plugged-in board opens without root.
# PINWHEEL_TEST_ROOT puts every path under a scratch tree (the tests); dpkg leaves it empty.
set -e
root="${PINWHEEL_TEST_ROOT:-}"
app_dir=/opt/Pinwheel
app="$root$app_dir"

install -d "$root/usr/bin"
ln -sfn "$app_dir/pinwheel" "$root/usr/bin/pinwheel"

# Ubuntu 22.04's AppArmor has no abi/4.0 and would refuse the profile: install it only where it parses.
if [ -d "$root/etc/apparmor.d" ] && [ -f "$root/etc/apparmor.d/abi/4.0" ]; then
  install -D -m 0644 "$app/resources/linux/apparmor-profile" "$root/etc/apparmor.d/pinwheel"
  if command -v apparmor_parser >/dev/null 2>&1; then
    apparmor_parser --replace --write-cache --skip-read-cache "$root/etc/apparmor.d/pinwheel" || true
  fi
fi

# With user namespaces (every current kernel) the sandbox needs no setuid helper; without them it does.
if [ -f "$app/chrome-sandbox" ]; then
  if [ -L "$root/proc/self/ns/user" ]; then
    chmod 0755 "$app/chrome-sandbox"
  else
    chmod 4755 "$app/chrome-sandbox"
  fi
fi

install -D -m 0644 "$app/resources/linux/60-pinwheel-serial.rules" "$root/etc/udev/rules.d/60-pinwheel-serial.rules"
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty || true
fi

if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$root/usr/share/applications" || true
fi
if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database "$root/usr/share/mime" || true
fi
