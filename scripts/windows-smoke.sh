#!/usr/bin/env bash
# Runs the Windows build's command line under wine and checks what it says:
# --help, init, fill, status --json, export, verify, and two refusals.
#
# Usage: scripts/windows-smoke.sh [path/to/baocao.exe]
#   default: $CARGO_TARGET_DIR (or target)/x86_64-pc-windows-gnu/release/baocao.exe
#   (build it first with scripts/cross-build.sh x86_64-pc-windows-gnu).
# Installs wine64 with apt-get when wine is missing (as root; NO_INSTALL=1
# skips that). Exits 0 with a "skipped:" line when wine cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

exe="${1:-${CARGO_TARGET_DIR:-target}/x86_64-pc-windows-gnu/release/baocao.exe}"
[ -f "$exe" ] || { echo "no $exe: run scripts/cross-build.sh x86_64-pc-windows-gnu first" >&2; exit 2; }
exe="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"

find_wine() {
    for w in wine64 wine /usr/lib/wine/wine64; do
        if command -v "$w" >/dev/null 2>&1; then echo "$w"; return 0; fi
    done
    return 1
}

wine="$(find_wine || true)"
if [ -z "$wine" ] && [ "${NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
    echo "== apt-get install wine64"
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 >/dev/null || true
    wine="$(find_wine || true)"
fi
if [ -z "$wine" ]; then
    echo "skipped: wine is not installed and could not be installed (apt-get install wine64)"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" 
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export BAOCAO_CONFIG_DIR='C:\baocao-config'
unset DISPLAY WAYLAND_DISPLAY
echo "== $("$wine" --version 2>/dev/null || echo wine) at $wine; prefix $WINEPREFIX"
start=$(date +%s)
"$wine" wineboot --init >/dev/null 2>&1 || true
echo "   wineboot: $(($(date +%s) - start)) s"

# The program runs from a folder of its own, as on a user's machine.
mkdir -p "$work/bin"
cp "$exe" "$work/bin/baocao.exe"
exe="$work/bin/baocao.exe"
# Rust's standard library (1.78 and later) gets random numbers from
# ProcessPrng in bcryptprimitives.dll, which Windows 10 and later have but
# wine 8 (Debian 12) does not. For wine only, a stand-in beside the program
# answers it from RtlGenRandom; real Windows loads its own from System32.
if [ ! -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
    if command -v x86_64-w64-mingw32-gcc >/dev/null; then
        cat >"$work/prng.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
C
        x86_64-w64-mingw32-gcc -O2 -shared -s -o "$work/bin/bcryptprimitives.dll" "$work/prng.c" -ladvapi32
        echo "   this wine has no bcryptprimitives.dll: a ProcessPrng stand-in is beside baocao.exe"
    else
        echo "   this wine has no bcryptprimitives.dll and there is no MinGW gcc to make a stand-in" \
            "(apt-get install gcc-mingw-w64-x86-64): baocao.exe will not start" >&2
    fi
fi

mkdir -p "$work/run"
cd "$work/run"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# Runs baocao.exe ARGS…; sets $out, $err, $code. Relative paths only: the
# current folder is the same for wine (Z:\…) and for this script.
run() {
    set +e
    "$wine" "$exe" "$@" >"$work/stdout" 2>"$work/stderr"
    code=$?
    set -e
    out="$(tr -d '\r' <"$work/stdout")"
    err="$(tr -d '\r' <"$work/stderr")"
}

expect() { # expect WHAT CODE NEEDLE [stdout|stderr]
    local what="$1" want="$2" needle="$3" stream="${4:-stdout}" text
    if [ "$stream" = stdout ]; then text="$out"; else text="$err"; fi
    if [ "$code" = "$want" ] && grep -qF -- "$needle" <<<"$text"; then
        ok "$what → exit $code, «$needle»"
    else
        bad "$what → exit $code (want $want), «$needle» not in $stream"
        printf '  stdout: %s\n  stderr: %s\n' "$out" "$err" | head -20
    fi
}

run --help
expect "baocao.exe --help" 0 "export"
run --version
expect "baocao.exe --version" 0 "baocao"

run --lang vi init --type xa --code 27112 --name "Xã Tân Phú" --parent-code HU01 \
    --parent-name "Huyện ủy Tân Phú" --data r.json
expect "init (Vietnamese name through argv)" 0 "Đã tạo báo cáo cho Xã Tân Phú (27112)"
[ -f r.json ] && ok "r.json written" || bad "no r.json"

run --lang vi init --type xa --code 27112 --name "Xã Tân Phú" --data r.json
expect "init again without --force is refused" 1 "Đã có báo cáo" stderr

cat >answers.json <<'EOF'
{"A.I.1": {"hinh_thuc_quan_triet": "Hội nghị quán triệt cho 100% cán bộ chủ chốt; loa truyền thanh ở 8/8 thôn.",
           "so_hoi_nghi": "1.204", "dang_vien_tham_gia": 1204, "dang_vien_tong_so": 1250}}
EOF
run --lang vi fill --from answers.json --data r.json
expect "fill" 0 "Đã điền"
grep -qF "loa truyền thanh ở 8/8 thôn" r.json && ok "the text is in r.json (UTF-8)" || bad "text not in r.json"
[ -d r.json.backups ] && ok "backups folder: $(ls r.json.backups | wc -l) file(s)" || bad "no backups folder"
[ -z "$(ls -A . | grep '^\.r\.json\.tmp' || true)" ] && ok "no temp file left" || bad "temp file left"

run status --json --data r.json
if [ "$code" = 0 ] && python3 - "$work/stdout" <<'EOF'; then
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["unit"]["code"] == "27112", s["unit"]
assert s["unit"]["name"] == "Xã Tân Phú", s["unit"]
assert s["complete_percent"] > 0, s["complete_percent"]
print("   status: %s%% complete, %s/%s required fields" % (s["complete_percent"], s["answered"], s["required"]))
EOF
    ok "status --json parses, unit and progress right"
else
    bad "status --json (exit $code): $out $err"
fi

mkdir -p out
run --lang vi export --out out --data r.json
expect "export" 0 "27112" stdout
pkg="$(ls out | head -1)"
[ -n "$pkg" ] && ok "package out/$pkg" || bad "no package in out/"

run --lang vi verify "out/$pkg" --data r.json
expect "verify" 0 "ĐÚNG"

cp "out/$pkg" tampered.json
sed -i 's/8\/8 thôn/7\/8 thôn/' tampered.json
run --lang vi verify tampered.json --data r.json
if [ "$code" != 0 ] && grep -qF "HỎNG" <<<"$out"; then ok "verify refuses a tampered package"; else bad "tampered package (exit $code): $out"; fi

run --lang en status --data missing.json
expect "English, a missing report" 1 "There is no report" stderr

echo "windows smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
