"""Marshmallow schemas, same module names as models/."""
