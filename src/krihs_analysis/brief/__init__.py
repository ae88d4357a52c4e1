"""The drafted policy brief: sentences from results (:mod:`.text`) and the assembled document (:mod:`.document`)."""

from .text import (
    BRIEF_LANGS,
    association_sentence,
    comparison_sentence,
    core_task_sentence,
    draft_findings,
    qca_sentence,
)

__all__ = [
    "BRIEF_LANGS",
    "association_sentence",
    "comparison_sentence",
    "core_task_sentence",
    "draft_findings",
    "qca_sentence",
]
