"""Use cases: each runs one database transaction and returns what the views need."""
