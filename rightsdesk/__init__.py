"""RightsDesk: rights, avails and royalties for microdrama sales houses."""

__version__ = "0.1.0"
APP_NAME = "RightsDesk"
