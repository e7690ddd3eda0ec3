export * from './quote.js'
export * from './sql.js'
export * from './table.js'
