"""Inquiry classification (C11): which label an inbound message (a ticket, a form message)
deserves, learned per workspace from labelled inquiries and people's corrections, or read
from the labels' descriptions when nothing is labelled yet."""
