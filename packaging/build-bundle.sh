#!/usr/bin/env bash
# Build the one-folder desktop bundle (dist/RightsDesk/) with PyInstaller, then prove it runs:
# the command line creates a database and writes a report, and the app starts offscreen on it.
#   bash packaging/build-bundle.sh            # build and check
#   bash packaging/build-bundle.sh --check    # check an existing dist/RightsDesk only
# DIST and WORK move the bundle and PyInstaller's work folder (default dist/ and build/pyinstaller).
# On Linux the bundle also gets the .desktop file, AppStream metadata and icons, laid out as
# they install under /usr/share (see packaging/README.md for Windows and macOS).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${DIST:-dist}
bundle=$dist/RightsDesk

if [ "${1:-}" != "--check" ]; then
    [ -x .venv/bin/python ] || bash packaging/setup-debian.sh
    .venv/bin/python -m pip install -q --disable-pip-version-check "pyinstaller>=6.10"
    .venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$dist" --workpath "${WORK:-build/pyinstaller}" packaging/rightsdesk.spec
    share=$bundle/share
    mkdir -p "$share/applications" "$share/metainfo"
    cp resources/linux/app.rightsdesk.RightsDesk.desktop "$share/applications/"
    cp resources/linux/app.rightsdesk.RightsDesk.metainfo.xml "$share/metainfo/"
    for png in resources/icons/rightsdesk-*.png; do
        size=${png##*-}; size=${size%.png}
        mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
        cp "$png" "$share/icons/hicolor/${size}x${size}/apps/app.rightsdesk.RightsDesk.png"
    done
    mkdir -p "$share/icons/hicolor/scalable/apps"
    cp resources/icons/rightsdesk.svg "$share/icons/hicolor/scalable/apps/app.rightsdesk.RightsDesk.svg"
fi

# The check runs the bundle with nothing from the checkout or the venv on its paths.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" PYTHONPATH=
cli="$bundle/rightsdesk-cli"
"$cli" --version
"$cli" demo --db "$work/check.db" --titles 20
"$cli" report catalogue --db "$work/check.db" --pdf "$work/catalogue.pdf" --xlsx "$work/catalogue.xlsx"
[ -s "$work/catalogue.pdf" ] && [ -s "$work/catalogue.xlsx" ]
# Statement PDFs are drawn by worker processes the frozen program starts from itself.
"$cli" statements run --period 2026-Q3 --db "$work/check.db" >/dev/null
"$cli" statements export --period 2026-Q3 --db "$work/check.db" --pdf "$work/statements" --xlsx "$work/statements.xlsx"
ls "$work/statements"/*.pdf >/dev/null && [ -s "$work/statements.xlsx" ]
started=$(RIGHTSDESK_QUIT_AFTER_START=2 timeout 120 "$bundle/RightsDesk" --db "$work/check.db" 2>"$work/app.log")
echo "$started"
case "$started" in
    "started: RightsDesk — check.db · 20 titles"*) echo "The bundle in $bundle runs." ;;
    *) echo "The bundle did not start:"; cat "$work/app.log"; exit 1 ;;
esac
