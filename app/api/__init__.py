"""The JSON API under /api/v1, for a mobile app and the ward's other systems. Authenticate with a
personal API token (`Authorization: Bearer nts_…`, created on the profile page) or the session cookie
plus the CSRF header. Each context adds its routes here; the OpenAPI document is at /api/v1/schema."""
