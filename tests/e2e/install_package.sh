#!/bin/sh
# Installation as the README describes it, never system-wide:
#   cmake --install into a DESTDIR: binary, man page, bash completion;
#   the completion completes subcommands, options and -f formats (bash's
#   complete -p / compgen machinery, the way <TAB> calls it);
#   cpack -G DEB builds a package whose binary runs (dpkg-deb -x into a
#   temporary directory) and whose Depends name libyaml and jansson.
. "$(dirname "$0")/common.sh"
build=$(dirname "$kube2ecs")
[ -f "$build/cmake_install.cmake" ] || fail "no build tree at $build"

DESTDIR=$work/dest cmake --install "$build" --prefix /usr/local >"$work/install.log" ||
    { cat "$work/install.log"; fail "cmake --install failed"; }
root=$work/dest/usr/local
[ -x "$root/bin/kube2ecs" ] || fail "binary not installed"
"$root/bin/kube2ecs" --version | grep -q "^kube2ecs [0-9]" || fail "installed binary does not run"
[ -f "$root/share/man/man1/kube2ecs.1" ] || fail "man page not installed"
completion=$root/share/bash-completion/completions/kube2ecs
[ -f "$completion" ] || fail "bash completion not installed"
if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$root/share/man/man1/kube2ecs.1" 2>/dev/null | grep -q "EXIT STATUS" ||
        fail "the man page does not render"
fi

# complete WORDS...: what <TAB> offers after the words (the last is the one
# being completed), one per line, sorted.
complete_words() {
    bash -c '. "$1"; shift
             complete -p kube2ecs >/dev/null || exit 3
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
             fn=$(complete -p kube2ecs | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
             "$fn" kube2ecs "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
             printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$completion" "$@"
}
bash -c '. "$1"; complete -p kube2ecs' sh "$completion" | grep -q -- "-F _kube2ecs kube2ecs" ||
    fail "complete -p kube2ecs: not registered"
[ "$(complete_words kube2ecs '' | tr '
' ' ')" = "--help --version convert diff help mapping plan-batch " ] ||
    fail "subcommands: $(complete_words kube2ecs '')"
[ "$(complete_words kube2ecs co)" = convert ] || fail "kube2ecs co<TAB>"
complete_words kube2ecs convert --k | grep -qx -- --keep-going || fail "convert --k<TAB>"
complete_words kube2ecs convert - | grep -qx -- --exclude || fail "convert -<TAB> lacks --exclude"
[ "$(complete_words kube2ecs convert -f '' | tr '\n' ' ')" = "ecs-deploy ecspresso " ] ||
    fail "convert -f <TAB>: $(complete_words kube2ecs convert -f '')"
[ "$(complete_words kube2ecs convert --format = ecs- | tr '\n' ' ')" = "ecs-deploy " ] ||
    fail "convert --format=ecs-<TAB>"
[ "$(complete_words kube2ecs mapping --d)" = --defaults ] || fail "mapping --d<TAB>"
[ "$(complete_words kube2ecs convert --layout '')" = ytt ] || fail "convert --layout <TAB>"
[ "$(complete_words kube2ecs plan-batch --j)" = --json ] || fail "plan-batch --j<TAB>"
[ "$(complete_words kube2ecs help m)" = mapping ] || fail "help m<TAB>"
mkdir -p "$work/files/k8s" && touch "$work/files/k8s.yaml"
(cd "$work/files" && complete_words kube2ecs convert k8s) | grep -qx k8s.yaml ||
    fail "convert PATH<TAB> does not complete files"

# The Debian package.
if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "skipped: cpack or dpkg-deb missing"
    exit 77
fi
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$work"/pkg/kube2ecs_*_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { ls "$work/pkg"; fail "no .deb built"; }
dpkg-deb -x "$deb" "$work/debroot"
"$work/debroot/usr/bin/kube2ecs" --version | grep -q "^kube2ecs [0-9]" ||
    fail "the packaged binary does not run"
[ -f "$work/debroot/usr/share/bash-completion/completions/kube2ecs" ] || fail "package lacks the completion"
[ -f "$work/debroot/usr/share/man/man1/kube2ecs.1" ] || fail "package lacks the man page"
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | grep -q libyaml && echo "$depends" | grep -q libjansson ||
    fail "Depends does not name libyaml and jansson: $depends"
echo "installed and packaged: $(basename "$deb") (Depends: $depends)"
