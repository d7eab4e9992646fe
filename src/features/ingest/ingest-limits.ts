/**
 * Limits of one ingest request. The HTTP body limit (TESSERA_BODY_LIMIT_BYTES) applies first; the row
 * cap bounds memory for bodies that are small per row (e.g. Arrow with few narrow columns).
 */
export const MAX_INGEST_ROWS = 1_000_000;

/** Errors listed in a rejection; the total is always reported. */
export const MAX_REPORTED_ERRORS = 100;
