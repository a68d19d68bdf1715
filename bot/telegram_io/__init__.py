"""Talking to Telegram: the HTTP client, the sender, polling and the webhook."""
