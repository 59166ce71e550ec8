"""A realistic, reproducible demo workspace: two years of a multilingual sales team's CRM data."""

from dealflow.demo.build import build_demo
from dealflow.demo.summary import DemoSummary

__all__ = ["DemoSummary", "build_demo"]
