"""Who may post: owners from the configuration, admins in the database; stats and audit."""
