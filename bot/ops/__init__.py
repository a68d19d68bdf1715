"""Operating the bot: the health and metrics server, the metrics, the logs."""
