#!/usr/bin/env bash
# Sourced by ./reconview and scripts/test.sh: makes sure the OpenGL-without-a-GPU prerequisites (Xvfb, Mesa's
# llvmpipe) and the build tools are present. As root it installs missing packages with apt; otherwise it prints the
# one apt line to run and fails.
RECONVIEW_APT_PACKAGES="xvfb xauth libgl1-mesa-dri libglx-mesa0 libegl1 libgl1"

reconview_missing_packages() {
    local missing=""
    command -v xvfb-run >/dev/null 2>&1 || missing="yes"
    command -v Xvfb >/dev/null 2>&1 || missing="yes"
    if ! ls /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so /usr/lib/*/dri/swrast_dri.so >/dev/null 2>&1; then
        missing="yes"
    fi
    [ -n "$missing" ]
}

reconview_ensure_prereqs() {
    if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
        echo "reconview: needs Java 17+ and Maven (apt-get install -y openjdk-17-jdk maven)" >&2
        return 1
    fi
    if reconview_missing_packages; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
            echo "reconview: installing Xvfb and Mesa (no GPU needed): apt-get install $RECONVIEW_APT_PACKAGES" >&2
            (apt-get install -y --no-install-recommends $RECONVIEW_APT_PACKAGES >/tmp/reconview-apt.log 2>&1 ||
                { apt-get update >/tmp/reconview-apt.log 2>&1 &&
                  apt-get install -y --no-install-recommends $RECONVIEW_APT_PACKAGES >>/tmp/reconview-apt.log 2>&1; }) || {
                echo "reconview: apt-get failed, see /tmp/reconview-apt.log" >&2
                return 1
            }
        else
            echo "reconview: missing Xvfb/Mesa; run: sudo apt-get install -y --no-install-recommends $RECONVIEW_APT_PACKAGES" >&2
            return 1
        fi
    fi
    # imgui's GLFW backend needs a cursor theme name, even under Xvfb.
    export XCURSOR_THEME="${XCURSOR_THEME:-Adwaita}"
    return 0
}

# Runs "$@" with DISPLAY set to a private Xvfb server (screen geometry $RECONVIEW_XVFB_SCREEN, default 1920x1080x24)
# and returns its exit code. The server and its temporary folder are gone when this returns, also when the command
# fails or the script is interrupted or terminated (xvfb-run lost exit codes and left servers behind when its cleanup
# raced the server's exit). The command runs in the background so that a signal reaches the trap at once; it is
# passed on to the command before the server goes.
reconview_with_xvfb() {
    local screen="${RECONVIEW_XVFB_SCREEN:-1920x1080x24}"
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/reconview-xvfb.XXXXXX")" || return 1
    Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset 3>"$dir/display" >"$dir/log" 2>&1 &
    local xpid=$! cpid="" rc=0
    # (every step "|| true": callers may run under set -e, which would end the cleanup at a failed wait)
    _reconview_xvfb_cleanup() {
        if [ -n "$cpid" ]; then
            kill -TERM "$cpid" 2>/dev/null || true
            wait "$cpid" 2>/dev/null || true
        fi
        kill -TERM "$xpid" 2>/dev/null || true
        wait "$xpid" 2>/dev/null || true
        rm -rf "$dir" || true
    }
    trap '_reconview_xvfb_cleanup; trap - INT TERM HUP; exit 130' INT
    trap '_reconview_xvfb_cleanup; trap - INT TERM HUP; exit 143' TERM HUP
    local i
    for i in $(seq 1 200); do
        [ -s "$dir/display" ] && break
        if ! kill -0 "$xpid" 2>/dev/null; then
            echo "reconview: Xvfb did not start: $(tail -1 "$dir/log")" >&2
            _reconview_xvfb_cleanup
            trap - INT TERM HUP
            return 1
        fi
        sleep 0.05
    done
    if [ ! -s "$dir/display" ]; then
        echo "reconview: Xvfb did not report a display within 10 s" >&2
        _reconview_xvfb_cleanup
        trap - INT TERM HUP
        return 1
    fi
    DISPLAY=":$(head -1 "$dir/display")" "$@" &
    cpid=$!
    wait "$cpid" || rc=$?
    cpid=""
    _reconview_xvfb_cleanup
    trap - INT TERM HUP
    return "$rc"
}
