"""What knows no feature: database, htmx, i18n, security, limits, mail, errors, audit, access."""
