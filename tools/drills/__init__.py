"""The longer drills of issue #10: load, store faults during load, and integrity across stores.

`python -m tools.drills` (`make drills`); docs/drills.md says what each one does and what it found.
"""
