"""One router per page group."""
