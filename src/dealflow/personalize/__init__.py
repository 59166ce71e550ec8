"""DIALOGUE: segments, context, drafts a person approves, and research on prospects."""
