"""Business rules; no flask.request here."""
