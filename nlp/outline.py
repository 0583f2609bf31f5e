"""A report's outline as a rich Tree: metadata, sections, their parts and item counts."""
from __future__ import annotations

from rich.markup import escape
from rich.tree import Tree

from nlp.model import Report


def _label(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def outline_tree(report: Report) -> Tree:
    """The tree ``govnlp show`` prints."""
    m = report.meta
    facts = [f"{k}={v}" for k, v in (("level", m.level), ("region", m.region), ("year", m.year),
                                       ("date", m.date)) if v is not None]
    root = Tree(f"[bold]{escape(m.office or report.name)}[/bold]  {escape(' '.join(facts))}\n"
                f"[dim]{escape(report.path or '')}  {len(report.text)} chars, {report.format}"
                f"{', ' + report.encoding if report.encoding else ''}[/dim]")
    for sec in report.sections:
        n_sent = sum(1 for x in sec.sentences if x.kind == "text")
        head = f"[cyan]{sec.id}[/cyan]"
        if sec.recovered:
            head += (f"  {escape((sec.number or '?') + '、')}[yellow](heading lost; recovered from "
                     f"its part {_label(sec.title or '')})[/yellow]")
        elif sec.number or sec.title:
            head += f"  {escape((sec.number or '?') + '、')}{_label(sec.title or '')}"
        head += f"  [dim][{sec.start}:{sec.end}] {n_sent} sentences, {len(sec.items)} items[/dim]"
        node = root.add(head)
        for part in sec.parts:
            items = sum(1 for it in sec.items if part.start <= it.start < part.end)
            node.add(f"{escape(part.marker)}{_label(part.title)}  [dim]{items} items[/dim]")
    for w in report.warnings:
        root.add(f"[yellow]warning:[/yellow] {escape(w)}")
    return root
