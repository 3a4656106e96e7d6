#!/usr/bin/env bash
# Prepare a Debian (12+) machine to run RightsDesk from this checkout:
# the system libraries Qt needs, then a virtual environment in .venv with the app installed.
#   bash packaging/setup-debian.sh          # to run the app
#   bash packaging/setup-debian.sh --dev    # also the test tools
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# Offscreen Qt needs the first line; a real X11 window (or Xvfb) needs the next two. QtPdf (the
# statement preview) loads QtNetwork, which needs Kerberos' GSSAPI library: the last line.
qt_libs="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
 libgssapi-krb5-2"
# Fonts that cover Chinese, Japanese, Korean, Thai, Arabic, Hebrew, Devanagari and Cyrillic catalogue names.
# fonts-droid-fallback: CJK in TrueType outlines, which reportlab can embed in PDFs (Noto CJK is CFF).
# fonts-nanum: Hangul in TrueType outlines (NanumGothic); Droid Sans Fallback has 3 Hangul syllables,
# so without it Korean names vanish from PDFs.
fonts="fonts-noto-core fonts-noto-cjk fonts-droid-fallback fonts-nanum"
python=${PYTHON:-python3}
# The tests read generated PDFs back with pdftotext, and run against a PostgreSQL server they
# start themselves (initdb in a temporary folder) as well as SQLite.
dev_tools=""
[ "${1:-}" = "--dev" ] && dev_tools="poppler-utils postgresql"

missing=""
for pkg in $qt_libs $fonts $dev_tools; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
# Debian's python3 can only build a venv with pip once python3-venv is installed.
if ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing="$missing python3-venv"
fi
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
