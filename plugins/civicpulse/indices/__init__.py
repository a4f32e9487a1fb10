"""Parsers for published index files: one module per kind of file, each turning the bytes of
one download into `Observation`s. Parsers do not fetch, map countries or read the clock."""
