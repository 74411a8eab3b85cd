"""Tests of the scanner agents (scanners/): real nmap, OpenSSH, FakeNOS, and a local HTTP receiver."""
