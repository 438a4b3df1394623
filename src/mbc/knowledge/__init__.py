"""The knowledge base: schema, condition language, loader and lint."""

from __future__ import annotations

from mbc.knowledge.loader import KnowledgeBase, default_kb_path, load_kb

__all__ = ["KnowledgeBase", "default_kb_path", "load_kb"]
