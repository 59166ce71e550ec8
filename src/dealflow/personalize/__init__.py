"""DIALOGUE layer (pillar 3, personalize): segments, the context a draft may state as fact,
generators (offline composer and any OpenAI-compatible model), tone and grounding checks,
and the review queue."""
