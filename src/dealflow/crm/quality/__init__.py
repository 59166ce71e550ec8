"""Data quality diagnosis: fill rates, validity, duplicates, freshness, consistency and ML
readiness of a workspace, one score with the worst problems first."""
