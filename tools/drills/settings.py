"""The production settings, with static files collected under var/drills/ (the shared var/staticfiles is left alone)."""

from config.settings import *  # the same settings, one change
from config.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / "var" / "drills" / "staticfiles"
