"""Vietnam-specific rules: phone numbers, citizen ID (CCCD) numbers, the official list of communes."""
