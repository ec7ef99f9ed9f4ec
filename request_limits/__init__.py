"""Refuse request bodies over a limit, and multipart bodies, before anything reads them."""
