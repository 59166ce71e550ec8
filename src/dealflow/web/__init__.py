"""The web app: server-rendered pages (Jinja2 + HTMX) that call the same services as the CLI."""
