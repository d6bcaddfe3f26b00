"""The secretary's workplace in the browser: a local web app over the library.

`dagsorden web` starts it on 127.0.0.1. Pages are rendered on the server (Jinja2), forms post
to routes that call the same library functions as the commands (record, build, changes), and
htmx, served from the package, swaps only the part of the page that changed. See docs/web.md.
"""

from __future__ import annotations

from .app import Workplace, create_app, serve

__all__ = ["Workplace", "create_app", "serve"]
