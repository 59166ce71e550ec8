"""Ready workflows of the personalize layer (YAML, like ``automate.templates``)."""
