"""mbc.engine."""
