"""Web plumbing shared by every context: templates, forms, CSRF, errors, locale, double-submit guard."""
