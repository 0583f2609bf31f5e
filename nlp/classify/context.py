"""The context a statement unit is read in: where it stands in section 五.

A unit read alone is often ambiguous: "二是提升政务公开内容质量。" under (二)改进措施 is a measure,
"以文字解读为主，图解运用少。" after a problem heading is a problem, yet neither says so by itself.
The context comes from the weak labeller's problem/measure walk (``weak.walk_problem_units``), so
the part headings and lead-ins are read by one set of rules, and is given to the models as tokens
(``context_tokens``). Units outside section 五, and bare texts, have no context (an empty tuple).
"""
from __future__ import annotations

from typing import Sequence

from nlp.classify.units import Unit
from nlp.classify.weak import UnitContext, walk_problem_units
from nlp.model import Report

#: What an empty context means: the unit was read alone (a bare text, or a caller without the report).
NO_CONTEXT: tuple[str, ...] = ()


def position_bucket(ctx: UnitContext) -> str:
    """first / early / late / last unit of section 五 (the first unit is often the lead-in)."""
    if ctx.index == 0:
        return "first"
    if ctx.index == ctx.count - 1:
        return "last"
    return "early" if ctx.index < ctx.count / 2 else "late"


def context_tokens(ctx: UnitContext | None) -> tuple[str, ...]:
    """The context as ``key=value`` tokens (features for sklearn, pseudo-words for spaCy)."""
    if ctx is None:
        return NO_CONTEXT
    return (f"part={ctx.part or 'none'}", f"leadin={ctx.leadin or 'none'}",
            f"state={ctx.state or 'none'}", f"prev={ctx.prev}", f"next={ctx.next}",
            f"pos={position_bucket(ctx)}", f"role={ctx.role}")


def unit_contexts(report: Report, units: Sequence[Unit]) -> list[tuple[str, ...]]:
    """Context tokens of each unit (in the order given); section 五 units only, others empty.

    The walk needs section 五's units in text order, so it runs on all of them whatever subset
    is asked for.
    """
    from nlp.classify.units import statement_units

    five = statement_units(report, ("problems",))
    walked = {(w.unit.start, w.unit.end): ctx for w, ctx in walk_problem_units(report, five)}
    return [context_tokens(walked.get((u.start, u.end))) if u.section == "problems" else NO_CONTEXT
            for u in units]


def span_contexts(report: Report, spans: Sequence[tuple[int, int]]) -> list[tuple[str, ...]]:
    """Context tokens for character spans (e.g. dev-set units): those of the section-五 unit that
    overlaps each span most; empty when none does.

    Why overlap: a hand-labelled span may no longer coincide with a unit after a segmenter change
    (004 [5400,5419) is now inside the unit 三是 [5400,5445)); it still stands where that unit does.
    """
    from nlp.classify.units import statement_units

    five = statement_units(report, ("problems",))
    walked = walk_problem_units(report, five)
    out = []
    for a, b in spans:
        best = max(walked, key=lambda wc: min(b, wc[0].unit.end) - max(a, wc[0].unit.start),
                   default=None)
        hit = best is not None and min(b, best[0].unit.end) > max(a, best[0].unit.start)
        out.append(context_tokens(best[1]) if hit else NO_CONTEXT)
    return out
