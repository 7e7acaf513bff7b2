#!/usr/bin/env bash
# Builds the release binary for the old machines the product must run on:
#   - 32-bit Linux, statically linked:  i686-unknown-linux-musl
#   - 64-bit Windows (MinGW):           x86_64-pc-windows-gnu
# Installs what it needs first (rustup targets; Debian's MinGW-w64 linker),
# then prints where each binary is and its size.
#
# Usage: scripts/cross-build.sh [TARGET...]   (default: both targets)
# Environment: CARGO_TARGET_DIR as usual; JOBS (default 1) for cargo -j;
#              NO_INSTALL=1 to skip apt-get/rustup (offline machines).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(i686-unknown-linux-musl x86_64-pc-windows-gnu)
fi
jobs="${JOBS:-1}"
target_dir="${CARGO_TARGET_DIR:-target}"

need_apt=()
for t in "${targets[@]}"; do
    case "$t" in
    *-windows-gnu)
        command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64)
        ;;
    esac
done

if [ "${NO_INSTALL:-0}" != 1 ]; then
    if [ ${#need_apt[@]} -gt 0 ]; then
        echo "== apt-get install ${need_apt[*]}"
        if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
    fi
    installed="$(rustup target list --installed)"
    for t in "${targets[@]}"; do
        grep -qx "$t" <<<"$installed" || {
            echo "== rustup target add $t"
            rustup target add "$t"
        }
    done
fi

# 32-bit musl: Rust ships musl's libc and start files for this target
# ("self-contained"), and our dependencies have no C code, so the LLVM
# linker that comes with the toolchain links it: no musl-gcc and no 32-bit
# gcc multilib needed.
export CARGO_TARGET_I686_UNKNOWN_LINUX_MUSL_LINKER="${CARGO_TARGET_I686_UNKNOWN_LINUX_MUSL_LINKER:-rust-lld}"
# Windows: Debian's MinGW-w64 gcc links (and brings the import libraries).
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="${CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER:-x86_64-w64-mingw32-gcc}"

status=0
for t in "${targets[@]}"; do
    echo "== cargo build --release --target $t"
    start=$(date +%s)
    if cargo build --release --locked -j "$jobs" --target "$t" --bin baocao; then
        exe="baocao"
        case "$t" in *windows*) exe="baocao.exe" ;; esac
        bin="$target_dir/$t/release/$exe"
        size=$(stat -c %s "$bin")
        printf '%s: %s, %d bytes (%s MiB), built in %ds\n' \
            "$t" "$bin" "$size" "$(awk "BEGIN { printf \"%.2f\", $size / 1048576 }")" \
            "$(($(date +%s) - start))"
        command -v file >/dev/null && file "$bin" || true
    else
        echo "FAILED: $t" >&2
        status=1
    fi
done
exit $status
