#!/usr/bin/env bash
# vendor/ratatui-textarea is a ratatui-textarea release from crates.io with
# the diffs in vendor/ratatui-textarea/patches/ applied in order
# (vendor/ratatui-textarea/PATCHES.md says what they are and how to upgrade).
# This script rebuilds that tree from the release, or checks that it is it.
set -euo pipefail

CRATE=ratatui-textarea
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REL=vendor/$CRATE
VENDOR=$ROOT/$REL
PATCHES=$VENDOR/patches
# Ours, not upstream's: kept when the tree is replaced, left out of --check.
OURS=(patches PATCHES.md)

usage() {
  cat <<EOF
usage: scripts/vendor-textarea.sh [--force] [VERSION]
       scripts/vendor-textarea.sh --check [--skip-offline] [VERSION]
       scripts/vendor-textarea.sh --unpatched [--force] [VERSION]
       scripts/vendor-textarea.sh --apply PATCH
       scripts/vendor-textarea.sh --rediff PATCH

  VERSION        a $CRATE release on crates.io; default: the version in
                 $REL/Cargo.toml (now $(current_version 2>/dev/null || echo '?'))
  (no mode)      replace $REL with the release with patches/*.diff applied
                 in order; changes nothing if a patch does not apply
  --check        build the release + patches in a temporary directory and
                 compare with $REL (patches/, PATCHES.md and
                 target/ aside): exit 0 if equal, 1 with the diff if not
  --skip-offline with --check: print a "skipped:" line and exit 0 when
                 crates.io cannot be reached (for CI)
  --unpatched    replace $REL with the release as published
                 (the baseline commit of an upgrade)
  --force        replace $REL even if git shows uncommitted changes in it
  --apply PATCH  apply one patch to $REL as it is now, leaving
                 FILE.rej next to each file with hunks that do not apply
  --rediff PATCH rewrite PATCH as its description followed by the unstaged
                 changes (git diff) in $REL: what the patch does once
                 the tree before it is staged (see PATCHES.md, upgrading)

Exit status: 0 done, 1 failed or differs, 2 usage, 3 crates.io unreachable.
EOF
}

say() { printf 'vendor-textarea: %s\n' "$*" >&2; }
die() {
  say "error: $1"
  exit "${2:-1}"
}

# The [package] version in the vendored Cargo.toml.
current_version() {
  awk '
    /^\[/ { in_package = ($0 == "[package]") }
    in_package && /^version *= *"/ { sub(/^version *= *"/, ""); sub(/".*/, ""); print; exit }
  ' "$VENDOR/Cargo.toml" | grep . || return 1
}

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is needed and not installed"
  done
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "sha256sum (or shasum) is needed and not installed"
  fi
}

SKIP_OFFLINE=false
# fetch URL FILE: download, telling "not there" (exit 1) from "cannot reach
# crates.io" (no network, or the server failing: exit 3, or skipped with
# --skip-offline).
fetch() {
  local rc=0 code
  code=$(curl --fail --silent --show-error --location --proto '=https' \
    --connect-timeout 20 --max-time 300 --retry 2 --write-out '%{http_code}' \
    -o "$2" "$1") || rc=$?
  code=${code:-000}
  if [ "$rc" -eq 0 ]; then return 0; fi
  if [ "$rc" -eq 22 ] && [ "$code" -lt 500 ] && [ "$code" -ne 429 ]; then
    die "$1: HTTP $code"
  fi
  if $SKIP_OFFLINE; then
    echo "skipped: scripts/vendor-textarea.sh --check (cannot download $1: curl exit $rc, HTTP $code)"
    exit 0
  fi
  die "cannot download $1 (curl exit $rc, HTTP $code): no network, or crates.io failing?" 3
}

WORK=
KEEP_WORK=false
STAGING=
TMPFILE=
cleanup() {
  if [ -n "$WORK" ] && ! $KEEP_WORK; then rm -rf "$WORK"; fi
  if [ -n "$STAGING" ]; then
    # Stopped between the two renames of install: put the old tree back.
    if [ ! -e "$VENDOR" ] && [ -d "$STAGING/old" ]; then mv "$STAGING/old" "$VENDOR"; fi
    rm -rf "$STAGING"
  fi
  if [ -n "$TMPFILE" ]; then rm -f "$TMPFILE"; fi
}
trap cleanup EXIT

# unpack: $WORK/$CRATE-$VERSION := the release, checked against the
# checksum in the crates.io index.
unpack() {
  local prefix index vers_re entry want got
  case ${#CRATE} in
    1) prefix=1 ;;
    2) prefix=2 ;;
    3) prefix=3/${CRATE:0:1} ;;
    *) prefix=${CRATE:0:2}/${CRATE:2:2} ;;
  esac
  index=$WORK/index
  fetch "https://index.crates.io/$prefix/$CRATE" "$index"
  # One JSON object a line; spaces after the colons or not.
  vers_re=$(printf '%s' "$VERSION" | sed 's/[.+]/\\&/g')
  entry=$(grep -E "\"vers\": *\"$vers_re\"" "$index" || true)
  [ -n "$entry" ] || die "crates.io has no $CRATE $VERSION"
  [ "$(printf '%s\n' "$entry" | wc -l)" -eq 1 ] ||
    die "the crates.io index has more than one $CRATE $VERSION"
  want=$(printf '%s\n' "$entry" | sed -n 's/.*"cksum": *"\([0-9a-f]\{64\}\)".*/\1/p')
  [ -n "$want" ] || die "no checksum for $CRATE $VERSION in the crates.io index"
  if printf '%s\n' "$entry" | grep -qE '"yanked": *true'; then
    say "warning: $CRATE $VERSION is yanked on crates.io"
  fi

  fetch "https://static.crates.io/crates/$CRATE/$CRATE-$VERSION.crate" "$WORK/crate"
  got=$(sha256 "$WORK/crate")
  [ "$got" = "$want" ] ||
    die "$CRATE-$VERSION.crate has sha256 $got, the crates.io index says $want"
  mkdir "$WORK/unpacked"
  tar -xzf "$WORK/crate" -C "$WORK/unpacked"
  [ -f "$WORK/unpacked/$CRATE-$VERSION/Cargo.toml" ] ||
    die "$CRATE-$VERSION.crate does not hold $CRATE-$VERSION/Cargo.toml"
  mv "$WORK/unpacked/$CRATE-$VERSION" "$WORK/$CRATE-$VERSION"
}

# apply_all TREE: patches/*.diff in order, each all or nothing (no fuzz).
apply_all() {
  local tree=$1 p out
  for p in "$PATCHES"/[0-9]*.diff; do
    [ -e "$p" ] || { say "no patches in $PATCHES"; return 0; }
    # The ceiling keeps git from taking a repository above the temporary
    # directory for the one to patch.
    if ! out=$(cd "$tree" && GIT_CEILING_DIRECTORIES=$WORK \
      git apply --verbose --whitespace=nowarn "$p" 2>&1); then
      printf '%s\n' "$out" >&2
      KEEP_WORK=true
      die "$(basename "$p") does not apply to $CRATE $VERSION (+ the patches before it).
The tree it failed on is kept: $tree
To bring the patches to a new release, follow \"Upgrading\" in $REL/PATCHES.md."
    fi
    if printf '%s\n' "$out" | grep -q 'offset'; then
      say "$(basename "$p") applies with offsets; --rediff would make it exact:"
      printf '%s\n' "$out" | grep 'offset' >&2
    fi
  done
}

# Refuse to overwrite changes git has not recorded, unless --force.
guard_uncommitted() {
  local changes
  $FORCE && return 0
  git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  changes=$(git -C "$ROOT" status --porcelain --untracked-files=all -- "$REL" \
    ":(exclude)$REL/patches" ":(exclude)$REL/PATCHES.md")
  if [ -n "$changes" ]; then
    printf '%s\n' "$changes" >&2
    die "$REL has uncommitted changes (above); commit them, or use --force to replace them"
  fi
}

# copy_ours TREE: our files in $VENDOR (patches/, PATCHES.md) into TREE.
copy_ours() {
  local f
  for f in "${OURS[@]}"; do
    if [ -e "$VENDOR/$f" ]; then cp -R "$VENDOR/$f" "$1/"; fi
  done
}

# install TREE: TREE (+ our files, and any target/ a build left) becomes
# $VENDOR.
install() {
  local tree=$1
  copy_ours "$tree"
  # Staged next to the old tree (same file system), so that the swap is two
  # renames.
  STAGING=$(mktemp -d "$ROOT/vendor/.$CRATE.new.XXXXXX")
  mv "$tree" "$STAGING/new"
  if [ -d "$VENDOR/target" ]; then mv "$VENDOR/target" "$STAGING/new/target"; fi
  if [ -e "$VENDOR" ]; then mv "$VENDOR" "$STAGING/old"; fi
  mv "$STAGING/new" "$VENDOR"
}

count_patches() {
  local n=0 p
  for p in "$PATCHES"/[0-9]*.diff; do
    if [ -e "$p" ]; then n=$((n + 1)); fi
  done
  echo "$n"
}

# The *.rej files git apply --reject left in $VENDOR.
rejects() {
  find "$VENDOR" -path "$VENDOR/target" -prune -o -path "$PATCHES" -prune -o \
    -type f -name '*.rej' -print
}

# Mode --rediff: PATCH := its description + `git diff` of $REL.
rediff() {
  local patch=$1 rej desc
  [ -f "$patch" ] || die "$patch: no such patch"
  patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
  git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    die "--rediff needs $ROOT to be a git work tree"
  rej=$(rejects)
  [ -z "$rej" ] || die "resolve and delete these first:
$rej"
  # New files must be known to git to show in its diff.
  git -C "$ROOT" add --intent-to-add -- "$REL" \
    ":(exclude)$REL/patches" ":(exclude)$REL/PATCHES.md"
  desc=$(mktemp "${TMPDIR:-/tmp}/vendor-textarea.XXXXXX")
  TMPFILE=$desc
  sed '/^diff --git /,$d' "$patch" >"$desc"
  git -C "$ROOT" -c core.quotepath=off diff --no-color --no-ext-diff \
    --src-prefix=a/ --dst-prefix=b/ --relative="$REL" -- "$REL" \
    ":(exclude)$REL/patches" ":(exclude)$REL/PATCHES.md" >>"$desc"
  grep -q '^diff --git ' "$desc" ||
    die "git shows no unstaged changes in $REL: apply the patch (--apply) after staging the tree before it (git add $REL)"
  mv "$desc" "$patch"
  TMPFILE=
  say "rewrote $patch; stage the tree (git add $REL) before the next patch"
}

MODE=install
FORCE=false
VERSION=
PATCH_ARG=
while [ $# -gt 0 ]; do
  case $1 in
    --check) MODE=check ;;
    --unpatched) MODE=unpatched ;;
    --apply | --rediff)
      MODE=${1#--}
      [ $# -ge 2 ] || die "$1 needs a patch file" 2
      PATCH_ARG=$2
      shift
      ;;
    --skip-offline) SKIP_OFFLINE=true ;;
    --force) FORCE=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*)
      usage >&2
      die "unknown option $1" 2
      ;;
    *)
      [ -z "$VERSION" ] || die "one version only" 2
      VERSION=$1
      ;;
  esac
  shift
done

if [ "$MODE" = apply ] || [ "$MODE" = rediff ]; then
  if [ -n "$VERSION" ] || $FORCE || $SKIP_OFFLINE; then
    die "--$MODE takes a patch file only" 2
  fi
fi
if $SKIP_OFFLINE && [ "$MODE" != check ]; then die "--skip-offline goes with --check" 2; fi
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] || [ -z "$VERSION" ] ||
  die "$VERSION is not a version number" 2

case $MODE in
  apply)
    need git
    [ -f "$PATCH_ARG" ] || die "$PATCH_ARG: no such patch"
    PATCH_ARG=$(cd "$(dirname "$PATCH_ARG")" && pwd)/$(basename "$PATCH_ARG")
    if git -C "$ROOT" apply --verbose --reject --whitespace=nowarn \
      --directory="$REL" "$PATCH_ARG"; then
      say "applied $(basename "$PATCH_ARG"); next: --rediff it, then git add $REL"
    else
      die "some hunks of $(basename "$PATCH_ARG") did not apply; they are in
$(rejects)
Make those changes by hand, delete the .rej files, then --rediff the patch."
    fi
    exit 0
    ;;
  rediff)
    need git
    rediff "$PATCH_ARG"
    exit 0
    ;;
esac

if $SKIP_OFFLINE && ! command -v curl >/dev/null 2>&1; then
  echo "skipped: scripts/vendor-textarea.sh --check (curl is not installed)"
  exit 0
fi
need curl tar git awk sed grep diff
if [ -z "$VERSION" ]; then
  VERSION=$(current_version) || die "no version in $REL/Cargo.toml; give one" 2
fi
if [ "$MODE" != check ]; then guard_uncommitted; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vendor-textarea.XXXXXX")
unpack
TREE=$WORK/$CRATE-$VERSION

case $MODE in
  unpatched)
    install "$TREE"
    say "$REL is now $CRATE $VERSION as published (patches not applied)"
    ;;
  install)
    apply_all "$TREE"
    install "$TREE"
    say "$REL is now $CRATE $VERSION + $(count_patches) patches"
    ;;
  check)
    apply_all "$TREE"
    copy_ours "$TREE"
    # -x target: a build directory (git ignores it) of a cargo run inside
    # the vendored crate.
    if ! (cd "$WORK" && diff -ruN -x target "$CRATE-$VERSION" "$VENDOR"); then
      die "$REL is not $CRATE $VERSION + patches/ (diff above: - expected, + vendored).
Either a change was made in the tree without a patch (make it a patch: see
$REL/PATCHES.md), or a patch was changed without rebuilding the tree
(scripts/vendor-textarea.sh $VERSION)."
    fi
    echo "ok: $REL is $CRATE $VERSION + $(count_patches) patches"
    ;;
esac
