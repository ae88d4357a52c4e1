"""The drafted policy brief: sentences from results (:mod:`.text`) and the assembled document (:mod:`.document`)."""

from .text import (
    association_sentence,
    comparison_sentence,
    core_task_sentence,
    draft_findings,
    qca_sentence,
)

__all__ = [
    "association_sentence",
    "comparison_sentence",
    "core_task_sentence",
    "draft_findings",
    "qca_sentence",
]
