"""The public site: the platform home, a ward's public home, language choice, health check."""
