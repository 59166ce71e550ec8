"""Foundation layer: the CRM store, property history, outbox, import/export."""
