"""Statistical tables of the annual reports (二 主动公开, 三 依申请, 四 复议诉讼).

``parse_tables(report)`` fills the national template's cells from the report text, whatever the
layout; ``tables_of(report)`` and ``table_of(report, "requests")`` give them parsed once per
report; ``identities(table)`` and ``evaluate(table, identity)`` give the template's 勾稽关系
for the consistency checks. The table models themselves are data: ``templates.json``.
"""
from __future__ import annotations

from nlp.tables.parse import parse_table, parse_tables, table_of, tables_of
from nlp.tables.templates import Identity, Variant, evaluate, identities, load_templates, variant_of

__all__ = ["Identity", "Variant", "evaluate", "identities", "load_templates", "parse_table",
           "parse_tables", "table_of", "tables_of", "variant_of"]
