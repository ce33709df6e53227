"""The gunicorn entry under its first name, `web.wsgi:create_web_process()`, which deploy files
and operators' scripts use: the composition root's `crowdline.wsgi` under another name."""

from crowdline.wsgi import create_web_process

__all__ = ["create_web_process"]
