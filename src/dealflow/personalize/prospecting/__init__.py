"""The prospecting agent: research a company's public website into findings with sources.

Web pages are untrusted data. They can add findings (each quoting its page and URL) and
nothing else: the agent's plan, recipients and instructions are fixed from the CRM before
the first page is read.
"""
