#!/bin/sh
# .deb post-remove: take Pinwheel's udev rules away again.
set -e
rm -f /etc/udev/rules.d/60-pinwheel-serial.rules
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
