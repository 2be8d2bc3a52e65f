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
