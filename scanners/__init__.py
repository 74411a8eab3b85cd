"""Discovery agents that push observations to the inventory server over HTTP only."""

__version__ = "0.1.0"
