"""Knowledge: the curated knowledge base, retrieval, red-flag triage and nudge texts."""

from guidance.guide import EXAMPLE_QUESTIONS, Answer, Guide, Stretch
from guidance.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError
from guidance.triage import NOT_A_DOCTOR, RedFlag, Triage

__all__ = [
    "EXAMPLE_QUESTIONS",
    "NOT_A_DOCTOR",
    "Answer",
    "Entry",
    "Guide",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "RedFlag",
    "Stretch",
    "Triage",
]
