"""EXECUTION: workflow definitions, triggers, conditions, actions and the durable engine."""
