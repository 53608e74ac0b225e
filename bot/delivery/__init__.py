"""Getting alerts out: fan-out, claiming, sending under Telegram's limits, recording results."""
