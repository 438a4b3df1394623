"""mbc.trials."""
