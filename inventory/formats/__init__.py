"""Parsers of foreign payloads into the ingest contract; pure functions."""
