"""`python -m nlp.dataset > docs/schema.md` regenerates the schema document."""
from nlp.dataset.schema import schema_markdown

print(schema_markdown(), end="")
