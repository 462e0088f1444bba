"""The ward's one-stop counter (Bộ phận Một cửa): procedures, bookings, the queue, dossiers, ratings, reports."""
