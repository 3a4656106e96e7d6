"""The desktop bundle builds with PyInstaller and starts: its command line makes a database and
writes a report, and the app opens its window (offscreen) on that database."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from configparser import ConfigParser
from pathlib import Path

import pytest

from rightsdesk import __version__

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "resources" / "linux"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check script is for Linux; see packaging/README.md")
@pytest.mark.timeout(600)
def test_the_bundle_builds_and_starts(tmp_path):
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build-bundle.sh")], capture_output=True, text=True,
                          env={**os.environ, "DIST": str(tmp_path / "dist"), "WORK": str(tmp_path / "work")})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "started: RightsDesk — check.db · 20 titles" in done.stdout
    share = tmp_path / "dist" / "RightsDesk" / "share"
    assert (share / "applications" / "app.rightsdesk.RightsDesk.desktop").exists()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "app.rightsdesk.RightsDesk.png").exists()


def test_the_desktop_entry_and_appstream_metadata_agree():
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(LINUX / "app.rightsdesk.RightsDesk.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "RightsDesk"
    assert desktop["Icon"] == "app.rightsdesk.RightsDesk" and desktop["Categories"].endswith(";")
    component = ElementTree.parse(LINUX / "app.rightsdesk.RightsDesk.metainfo.xml").getroot()
    assert component.findtext("id") == "app.rightsdesk.RightsDesk"
    assert component.findtext("launchable") == "app.rightsdesk.RightsDesk.desktop"
    assert __version__ in [release.get("version") for release in component.iter("release")]
    icons = ROOT / "resources" / "icons"
    assert all((icons / f"rightsdesk-{size}.png").exists() for size in (16, 32, 48, 64, 128, 256, 512))
