"""The ward tenancy layer: the Ward table, resolving the ward of a request, and the fail-closed scope
through which every ward-owned table is read and written."""
