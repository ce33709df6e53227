"""The `quality` blueprint: its routes are declared by the modules gathered in
web.quality.routes (recordings, reviews)."""

from flask import Blueprint

bp = Blueprint("quality", __name__)
