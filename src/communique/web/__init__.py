"""The web page and HTTP API (`communique serve`, the `communique[web]` extra).

`app.py` builds the FastAPI application (API and page routes, limits,
security headers); `page.py` turns form fields into a document and the
document into what the page shows; `jobs.py` is the work the rendering
worker processes do, and `pool.py` runs it off the event loop with a time
limit. Templates, styles, script and interface labels are files beside them.
"""
