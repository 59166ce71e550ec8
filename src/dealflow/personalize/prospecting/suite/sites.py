"""A small, honest company website (the baseline the hostile pages are built on)."""

from __future__ import annotations

from dealflow.personalize.prospecting.suite.server import Reply

HOME = """<!doctype html>
<html lang="en"><head><title>Northwind Robotics</title>
<meta name="description" content="Northwind Robotics builds autonomous forklifts for warehouses.">
<meta name="generator" content="WordPress 6.4">
<link rel="alternate" hreflang="ja" href="/ja/">
<script src="/wp-content/themes/nw/app.js"></script>{head}</head>
<body><nav><a href="/about">About us</a> <a href="/products">Products</a>
<a href="/news">News</a> <a href="/careers">Careers</a> <a href="/brochure.pdf">Brochure</a>
<a href="https://partner.example/">Partner</a></nav>
<main><h1>Northwind Robotics</h1>
<p>We build autonomous forklifts that move pallets safely around busy warehouses.</p>
{extra}
</main><footer><address>Headquartered in Rotterdam, the Netherlands.</address></footer>
</body></html>"""

ABOUT = """<html lang="en"><head><title>About Northwind</title></head><body>
<h1>About us</h1><p>Northwind Robotics is a logistics automation company founded in 2016.</p>
<p>We have offices in Rotterdam, Osaka and Chicago.</p></body></html>"""

PRODUCTS = """<html lang="en"><head><title>Products</title></head><body>
<h1>Products</h1><h2>NW-200 Autonomous Forklift</h2><p>Lifts 2 tonnes.</p>
<h2>FleetView</h2><p>Fleet software that runs on AWS and Kubernetes.</p></body></html>"""

NEWS = """<html lang="en"><head><title>News</title></head><body><h1>News</h1>
<h2>Northwind opens a plant in Osaka</h2><p>2026-10-14 · Production starts next spring.</p>
<h2>FleetView 3 released</h2><p>2026-09-01 · Route planning is twice as fast.</p>
</body></html>"""

CAREERS = """<html lang="en"><head><title>Careers</title></head><body><h1>Careers</h1>
<p>We're hiring across Europe and Japan.</p><h3>Senior Robotics Engineer</h3>
<p>Python and ROS on real robots.</p><h3>Field Sales Manager, Benelux</h3></body></html>"""

ROBOTS = "User-agent: *\nDisallow: /admin\n"


def home_page(extra_html: str = "", head_html: str = "") -> str:
    """Northwind's home page with ``extra_html`` in its main text, ``head_html`` in its head."""
    return HOME.replace("{extra}", extra_html).replace("{head}", head_html)


def company_site(extra_home_html: str = "", head_html: str = "") -> dict[str, Reply]:
    """Northwind Robotics' site; ``extra_home_html`` goes into the home page's main text."""
    return {
        "/robots.txt": Reply(ROBOTS, content_type="text/plain"),
        "/": Reply(home_page(extra_home_html, head_html)),
        "/about": Reply(ABOUT),
        "/products": Reply(PRODUCTS),
        "/news": Reply(NEWS),
        "/careers": Reply(CAREERS),
    }
