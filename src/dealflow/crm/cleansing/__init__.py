"""The cleansing agent: values normalised, duplicates merged, every change reviewable and
reversible."""
