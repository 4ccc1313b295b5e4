"""``alertc import``: live objects → native definitions that adopt them (see README "Import and adopt")."""
