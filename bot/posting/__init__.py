"""From an admin's card to a published post: the card grammar, preview and publish."""
