"""Dealflow: an open-source, self-hosted AI sales CRM."""

__version__ = "0.1.0"
