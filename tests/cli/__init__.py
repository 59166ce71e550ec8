"""Tests of the ``dealflow`` command line."""
