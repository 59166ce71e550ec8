"""Draft generators behind one interface (``base``): the offline composer and the
OpenAI-compatible chat-completions backend."""
