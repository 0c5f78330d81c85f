"""The web page and HTTP API (`communique serve`, the `communique[web]` extra).

`app.py` builds the FastAPI application and serves the page; `api.py` the
API under /api; `middleware.py` the upload limit and security headers;
`page.py` turns the model into what the page shows (outline, fields,
labels); `jobs.py` is the work the rendering worker processes do, and
`pool.py` runs it off the event loop with a time limit; `settings.py` what
`communique serve` may change. Templates, styles, script and interface
labels are files beside them.
"""
