/** The SQL tokenizer lives in `src/sql/` so that every layer may use it; re-exported here for the reflect layer's callers. */
export * from '../sql/tokenizer.js'
