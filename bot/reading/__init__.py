"""What readers ask and see: topics, subscriptions, rendering of alerts and answers."""
