"""mbc.ingest."""
