#!/bin/sh
# Installs, with apt-get, the Debian packages kube2ecs needs to build and
# test, but only those missing (so a second run costs nothing).
set -eu
packages="build-essential cmake pkg-config libyaml-dev libjansson-dev check
          python3 python3-botocore python3-yaml awscli clang libclang-rt-14-dev
          valgrind tzdata jq"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages:$missing; run as root (or with sudo) to install them" >&2
    exit 2
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
