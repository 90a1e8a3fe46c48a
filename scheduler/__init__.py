"""Timed work: jobs that find what is due (nudges, digests) and the outbox that sends it once."""
