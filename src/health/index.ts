export * from './health.js'
export * from './fix.js'
