#!/usr/bin/env bash
# Installs the Debian packages the test suite drives, when missing and when this user may:
#   chromium (the web page is tested in a real headless browser) and a Java runtime (Spark).
# Without root or password-less sudo it only says what is missing; those tests then skip with that reason.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "note: missing ${need[*]} (install with: sudo apt-get install -y ${need[*]}); the tests that need them will skip" >&2
  exit 0
fi
echo "installing ${need[*]} (apt-get)" >&2
$SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "note: apt-get could not install ${need[*]}; the tests that need them will skip" >&2
exit 0
