"""mbc.web."""
