"""Errors of the prospecting agent, each naming the URL and why it was not used."""

from __future__ import annotations

from dealflow.core.errors import DealflowError


class FetchRefusedError(DealflowError):
    """A URL the fetcher would not (or could not) read: ``url`` and ``reason`` say which and why."""

    status_code = 422

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
