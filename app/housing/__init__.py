"""Housing: properties, rooms, renters, stays and QR stickers."""
