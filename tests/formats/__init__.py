"""Tests of inventory.formats: agent payload parsers and decompression."""
