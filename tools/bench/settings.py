"""The production settings plus the benchmark's floor view (bench/urls.py); nothing else changes."""

from config.settings import *  # the same settings, one change

ROOT_URLCONF = "tools.bench.urls"
