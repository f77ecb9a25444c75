#!/usr/bin/env bash
# The ctest packaging test: builds the .deb with scripts/package (CPU-only build in
# PACKAGE_BUILD_DIR, no apt), extracts it with dpkg-deb -x into a temporary root and checks
# what an installation would see: every executable in usr/bin runs from there (--version;
# the app also renders --screenshot overview offscreen), each has its man page, the desktop
# file's Exec and Icon resolve inside the package, every library an executable needs comes
# from a package in Depends, and the validators pass where they are installed.
# Usage: check-package.sh SOURCE_DIR PACKAGE_BUILD_DIR
set -euo pipefail
src="$1"
build="$2"
fail() { echo "FAIL: $*" >&2; exit 1; }

deb="$(FIREDECK_PACKAGE_BUILD_DIR="$build" "$src/scripts/package" --no-install | tee /dev/stderr | tail -1)"
[ -f "$deb" ] || fail "scripts/package made no .deb"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -f "$deb" Depends >"$work/depends"
echo "Depends: $(cat "$work/depends")"

# A display-less environment: nothing from the build tree or the desktop leaks in.
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
mkdir -m700 -p "$XDG_RUNTIME_DIR"
version="$(dpkg-deb -f "$deb" Version)"

programs=()
for exe in "$root"/usr/bin/*; do programs+=("$(basename "$exe")"); done
[ ${#programs[@]} -ge 3 ] || fail "only ${programs[*]} in usr/bin"
for program in firedeck firedeck-sandbox firedeck-engine; do
    [ -x "$root/usr/bin/$program" ] || fail "usr/bin/$program missing"
done
for program in "${programs[@]}"; do
    exe="$root/usr/bin/$program"
    out="$("$exe" --version)" || fail "$program --version failed"
    echo "$out"
    case "$out" in "$program $version"*) ;; *) fail "$program --version: '$out', package $version" ;; esac
    [ -f "$root/usr/share/man/man1/$program.1.gz" ] || fail "no man page for $program"
    zcat "$root/usr/share/man/man1/$program.1.gz" | grep -q "^\.TH" || fail "$program.1.gz is no man page"
    # Every library the executable names must resolve, and come from a package in Depends.
    if ldd "$exe" | grep -q "not found"; then ldd "$exe"; fail "$program: a library is missing"; fi
    for lib in $(objdump -p "$exe" | awk '/NEEDED/ {print $2}'); do
        path="$(ldd "$exe" | awk -v l="$lib" '$1 == l {print $3}')"
        pkg="$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)" \
            || pkg="$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)" || true
        [ -n "$pkg" ] || fail "$program needs $lib ($path), which no Debian package provides"
        case "$pkg" in libc6 | libgcc-s1 | libstdc++6) continue ;; esac # essential or via others
        grep -qE "(^|, )$pkg( |,|$)" "$work/depends" || fail "$program needs $lib from $pkg, not in Depends"
    done
done

# The app itself, from the package: starts the Local sandbox in-process and paints a page.
"$root/usr/bin/firedeck" --profile local --data-dir "$work/sandbox" \
    --screenshot overview "$work/overview.png" || fail "firedeck --screenshot overview failed"
[ "$(stat -c %s "$work/overview.png")" -gt 10000 ] || fail "the screenshot is (nearly) empty"

# Desktop integration: the entry's Exec and Icon exist in the package.
desktop="$(ls "$root"/usr/share/applications/*.desktop)"
app_id="$(basename "$desktop" .desktop)"
exec_name="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
[ -x "$root/usr/bin/$exec_name" ] || fail "Exec=$exec_name is not in usr/bin"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
[ "$icon" = "$app_id" ] || fail "Icon=$icon, desktop file $app_id"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable icon $icon"
for size in 16 24 32 48 64 128 256 512; do
    png="$root/usr/share/icons/hicolor/${size}x${size}/apps/$icon.png"
    [ -f "$png" ] || fail "no ${size}x${size} icon"
    file "$png" | grep -q "$size x $size" || fail "$png is not $size x $size"
done
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
    "$root/usr/share/metainfo/$app_id.metainfo.xml" || fail "metainfo does not launch $app_id.desktop"
[ -f "$root/usr/share/doc/firedeck/copyright" ] || fail "no copyright file"
echo "packaging: $(basename "$deb") installs ${programs[*]}; each runs from the extracted root"
