/** Dependency extraction lives in `src/sql/` so that every layer may use it; re-exported here for the reflect layer's callers. */
export { queryDependencies } from '../sql/query-dependencies.js'
