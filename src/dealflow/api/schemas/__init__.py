"""Pydantic shapes of the API: what each route takes and returns, one module per domain."""
