export * from './tokenizer.js'
