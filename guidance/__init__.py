"""Knowledge: the curated knowledge base, retrieval, warning-sign triage and nudge texts."""

from guidance.knowledge.guide import EXAMPLE_QUESTIONS, NOT_A_DOCTOR, Answer, Guide, Stretch
from guidance.knowledge.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError
from guidance.reading.triage import Finding, Level, Sign, Triage

__all__ = [
    "EXAMPLE_QUESTIONS",
    "NOT_A_DOCTOR",
    "Answer",
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
