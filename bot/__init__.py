"""Salesbot: configuration, database, app factory, HTTP server and command line."""
