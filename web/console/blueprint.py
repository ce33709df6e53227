"""The console's blueprint, shared by its page modules (pages, canned_pages)."""

from flask import Blueprint

bp = Blueprint("console", __name__)
