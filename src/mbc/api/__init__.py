"""mbc.api."""
