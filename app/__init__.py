"""Nhà trọ số: rental housing, residence declarations and the ward's one-stop counter, one app per country."""

import os

# Piccolo finds its engine and apps through this module (no piccolo_conf.py at the top level).
os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")
