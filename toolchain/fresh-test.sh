#!/usr/bin/env bash
# fresh-test.sh [--prepare] [COMMAND]: what `make fresh-test` runs. Proves the README's promise
# on a pristine Debian 12: a root with only build-essential, git, ca-certificates, pkg-config and
# procps (mmdebstrap, variant apt), using this machine's own apt sources and options (so the
# same mirror), HEAD of this repository cloned into it, and COMMAND run there as root through
# chroot with /proc, /sys, /dev, /dev/pts and /dev/shm bound. Every mount is undone and the
# scratch root deleted on every way out (trap), also when setting up fails.
#
# The pristine root is cached as a tarball outside the clone (DJTV_FRESH_CACHE, default
# /var/cache/djtv-fresh) and rebuilt when older than a week; the packages the toolchain installs
# are never cached, so one missing from toolchain/packages.txt shows. Default COMMAND: `make
# test`, then `make run` headless, checked to reach the home screen and play a course. The
# output ends with the `N passed, N failed` line(s) the command printed. --prepare only makes sure the cached root exists (exit 1
# when mmdebstrap cannot build it, e.g. no mirror). Needs root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${DJTV_FRESH_CACHE:-/var/cache/djtv-fresh}
base=$cache/debian12-base.tar
prepare_only=false
if [ "${1:-}" = "--prepare" ]; then
    prepare_only=true
    shift
fi
default_cmd='make test && make run && python3 toolchain/check-demo.py run/ui-dump.jsonl'
cmd=${1:-$default_cmd}

say() { echo "fresh-test: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "needs root (mmdebstrap, chroot and mounts)"; exit 1; }

# Only what building the root needs on the host; the rest is installed inside the root.
"$top/toolchain/install-deps.sh" <(printf 'mmdebstrap\nmount\ngit\n')

# ---- the cached pristine root -------------------------------------------------------------
build_base() {
    local sources=() opts=() f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -s "$f" ] && sources+=("$f")
    done
    for f in /etc/apt/apt.conf.d/*; do
        [ -f "$f" ] && opts+=("--aptopt=$f")
    done
    say "building the pristine Debian 12 root into $base (mirrors: ${sources[*]:-default})"
    mmdebstrap --variant=apt --include=build-essential,git,ca-certificates,pkg-config,procps \
        --format=tar "${opts[@]}" bookworm "$base.tmp" "${sources[@]}" >&2 || return 1
    mv "$base.tmp" "$base"
}
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9  # one builder at a time; a second run waits and then finds the tarball
if [ ! -s "$base" ] || [ -n "$(find "$base" -mtime +6 2>/dev/null)" ]; then
    rm -f "$base.tmp"
    if ! build_base; then
        rm -f "$base.tmp"
        say "cannot build the pristine root (mmdebstrap failed; is the mirror reachable?)"
        exit 3
    fi
fi
flock -u 9
$prepare_only && exit 0

# ---- a scratch root, its mounts, and their undoing --------------------------------------
root=$(mktemp -d /var/tmp/djtv-fresh.XXXXXX)
mounted=()
child=""
# The command runs in its own process group, so a signal to this script stops all of it
# (bash would otherwise wait for a foreground child before running any trap).
stop_child() {
    [ -n "$child" ] && kill -0 "$child" 2>/dev/null || return 0
    kill -TERM -- "-$child" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 "$child" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL -- "-$child" 2>/dev/null
    wait "$child" 2>/dev/null
}
cleanup() {
    local rc=$? i
    stop_child
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null ||
            say "could not unmount ${mounted[i]}"
    done
    # Never delete through a mount that is still there (a bound /dev would go with it).
    if awk -v r="$root" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
        say "mounts remain under $root; leaving it in place"
    else
        rm -rf --one-file-system "$root"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "unpacking the pristine root into $root"
tar -xf "$base" -C "$root"
rev=$(git -C "$top" rev-parse HEAD)
git clone -q --no-hardlinks "$top" "$root/root/djtv"
git -C "$root/root/djtv" checkout -q "$rev"
say "cloned $(git -C "$top" log -1 --format='%h %s' "$rev")"
# The package registries (Debian's, npm's) are reached through the host's network, with its
# resolver, its extra certificate authorities and its system-wide npm settings.
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || say "update-ca-certificates failed"
fi
for f in /etc/npmrc /usr/etc/npmrc; do
    [ -f "$f" ] && mkdir -p "$root${f%/*}" && cp "$f" "$root$f"
done

bind() { # SRC DEST [mount options...]
    local src=$1 dest=$root$2
    shift 2
    mkdir -p "$dest"
    mount "$@" "$src" "$dest"
    mounted+=("$dest")
}
bind proc /proc -t proc
bind /sys /sys --bind
bind /dev /dev --bind
bind /dev/pts /dev/pts --bind
bind /dev/shm /dev/shm --bind

say "running in the fresh root: ${cmd//$'\n'/; }"
start=$(date +%s)
set +e
setsid chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/djtv && { $cmd ; } 2>&1 | tee /tmp/fresh-test.log; exit \${PIPESTATUS[0]}" </dev/null &
child=$!
wait "$child"
rc=$?
child=""
set -e
say "the command exited $rc after $(($(date +%s) - start)) s in the fresh root"
# The test summaries last, where a reader (and CI) looks for them.
grep -E '^[0-9]+ passed, [0-9]+ failed' "$root/tmp/fresh-test.log" || true
exit "$rc"
