"""The web layer: app factory (`web.app.create_app`), pages, REST API, CLI."""
