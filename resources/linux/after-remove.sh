#!/bin/sh
# .deb post-remove for Pinwheel: undoes after-install.sh (the command link,
# the AppArmor profile, the udev rules) on removal and purge. An upgrade also
# runs this script, with "upgrade": then everything stays for the new version.
# PINWHEEL_TEST_ROOT puts every path under a scratch tree (the tests); dpkg leaves it empty.
set -e
case "${1:-remove}" in
  remove | purge) ;;
  *) exit 0 ;;
esac
root="${PINWHEEL_TEST_ROOT:-}"

# Only our own link: a pinwheel command installed some other way is left alone.
if [ -L "$root/usr/bin/pinwheel" ] && [ "$(readlink "$root/usr/bin/pinwheel")" = /opt/Pinwheel/pinwheel ]; then
  rm -f "$root/usr/bin/pinwheel"
fi

if [ -f "$root/etc/apparmor.d/pinwheel" ]; then
  if command -v apparmor_parser >/dev/null 2>&1; then
    apparmor_parser --remove "$root/etc/apparmor.d/pinwheel" || true
  fi
  rm -f "$root/etc/apparmor.d/pinwheel"
fi

rm -f "$root/etc/udev/rules.d/60-pinwheel-serial.rules"
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
fi

if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$root/usr/share/applications" || true
fi
