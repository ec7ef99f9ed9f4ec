#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# Local development settings, written by `make` from .env.local.example; the environment wins.
LOCAL_ENV_FILE = Path(__file__).resolve().with_name(".env.local")


def main() -> None:
    from dotenv import load_dotenv

    load_dotenv(LOCAL_ENV_FILE, override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.environment import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        hint = "" if LOCAL_ENV_FILE.exists() else "; for local development, run `make install` (it writes .env.local)"
        sys.exit(f"Configuration error: {error}{hint}")


if __name__ == "__main__":
    main()
