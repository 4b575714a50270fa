#!/bin/sh
# Installs, with apt-get, the Debian packages kube2ecs needs, but only those
# missing (so a second run costs nothing).
#   sh tests/install-deps.sh --build   building and converting only: a C
#                                      compiler, make, cmake, pkg-config,
#                                      libyaml, jansson, and tzdata (CronJob
#                                      time zones are read from it)
#   sh tests/install-deps.sh           the above plus what the tests use:
#                                      Check, Debian's python3 with botocore
#                                      and PyYAML, the AWS CLI, clang (ASan,
#                                      UBSan, libFuzzer), valgrind, dpkg-dev
#                                      (cpack -G DEB), cppcheck and
#                                      clang-tools-14 (scan-build: static
#                                      analysis, tests/static/run.sh), strace,
#                                      procps (ps: tests/run.sh stops the
#                                      analysis when a step fails)
set -eu
packages="gcc libc6-dev make cmake pkg-config libyaml-dev libjansson-dev tzdata"
if [ "${1:-}" != "--build" ]; then
    packages="$packages check python3 python3-botocore python3-yaml awscli clang
              libclang-rt-14-dev valgrind dpkg-dev bsdutils jq cppcheck clang-tools-14 strace procps"
fi
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
