"""CSV/XLSX import: mapping, streaming readers, validation, upsert by key, error reports."""
