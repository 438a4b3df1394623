"""mbc.knowledge."""
