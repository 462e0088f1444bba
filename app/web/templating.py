"""Jinja2 templates with gettext from the request's locale and Babel's formatters as filters."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from app import i18n
from app.accounts.labels import role_label, status_label
from app.audit.labels import action_label
from app.housing.labels import kind_label, property_status_label
from app.notify.labels import channel_label, message_status_label
from app.once import new_form_token
from app.settings import ROOT, get_settings
from app.vn.cccd import mask_id_number
from app.vn.phone import format_phone


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        money=i18n.format_money,
        number=i18n.format_number,
        phone=format_phone,
        mask_id=mask_id_number,
    )
    env.globals.update(
        LOCALES=i18n.LOCALES,
        LOCALE_NAMES=i18n.LOCALE_NAMES,
        current_locale=i18n.current_locale,
        new_form_token=new_form_token,
        app_name=get_settings().file.app.name,
        role_label=role_label,
        status_label=status_label,
        action_label=action_label,
        kind_label=kind_label,
        property_status_label=property_status_label,
        channel_label=channel_label,
        message_status_label=message_status_label,
    )
    return env


def template_config() -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment()))


def render(name: str, *, status: int = 200, **context: object) -> Template:
    return Template(template_name=name, context=context, status_code=status)
