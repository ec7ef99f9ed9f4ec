"""Argument types shared by management commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(*, minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """Return an argparse type for a whole number of at least `minimum` (and at most `maximum`, if given).

    argparse turns its ArgumentTypeError into a CommandError (or a usage error on the shell)
    that names the option.
    """

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected at least {minimum}, got {number}")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"expected at most {maximum}, got {number}")
        return number

    return parse
