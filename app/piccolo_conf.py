"""Piccolo's configuration: the engine chosen by the settings, and every app with its tables."""

from piccolo.conf.apps import AppRegistry

from app.db import DB

APP_REGISTRY = AppRegistry(
    apps=[
        "tenants.piccolo_app",
        "app.accounts.piccolo_app",
        "app.audit.piccolo_app",
        "app.web.piccolo_app",
        "app.housing.piccolo_app",
        "app.residence.piccolo_app",
        "app.counter.piccolo_app",
        "app.notify.piccolo_app",
    ]
)

__all__ = ["APP_REGISTRY", "DB"]
