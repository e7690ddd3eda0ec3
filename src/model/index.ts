export * from './qualified-name.js'
export * from './version.js'
export * from './mv-definition.js'
export * from './schema-state.js'
