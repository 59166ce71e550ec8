"""Core primitives shared by every layer: clock, errors, database dialects, durable jobs."""
