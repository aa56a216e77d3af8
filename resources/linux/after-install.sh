#!/bin/sh
# .deb post-install: put Pinwheel's serial udev rules in place and reload udev,
# so a freshly plugged board can be opened without root.
set -e
install -m 0644 /opt/Pinwheel/resources/linux/60-pinwheel-serial.rules /etc/udev/rules.d/60-pinwheel-serial.rules
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty || true
fi
