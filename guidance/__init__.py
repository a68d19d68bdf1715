"""Knowledge: the curated knowledge base, retrieval, warning-sign triage and nudge texts."""

from guidance.knowledge.guide import Answer, Guide, Stretch
from guidance.knowledge.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError
from guidance.knowledge.words import AnswerWords
from guidance.reading.triage import Finding, Level, Sign, Triage

__all__ = [
    "Answer",
    "AnswerWords",
    "Entry",
    "Finding",
    "Guide",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Level",
    "Sign",
    "Stretch",
    "Triage",
]
