"""The prompt-injection suite: hostile websites served on loopback, and the agent run on them."""
