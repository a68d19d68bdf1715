"""Delivery: the outbox engine, the Sender protocol it sends through, and the clock."""
