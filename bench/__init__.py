"""Benchmarks for onewindow (`make bench`, i.e. `python -m bench`; see bench/README.md).

Performance is measured here, never by timed unit tests. Every benchmark measures its subject
against a baseline run in the same process, interleaved round by round, so the ratio means the
same on any machine even when the absolute figures do not.
"""
