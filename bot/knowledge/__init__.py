"""The FAQ knowledge base: items written from the four source documents."""

from bot.knowledge.model import FaqItem, KnowledgeBase, load_knowledge_base

__all__ = ["FaqItem", "KnowledgeBase", "load_knowledge_base"]
