export * from './tokenizer.js'
export { parseMaterializedView, parseMaterializedViews, DEFAULT_MV_COMMENT } from './parse-materialized-view.js'
export { canonicalExpression } from './canonical-expression.js'
export { queryDependencies } from './query-dependencies.js'
