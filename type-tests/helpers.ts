import type { Refusal } from '../dist/index.js'

/** The message a refused member carries (type-level only). */
export declare function messageOf<M extends string>(refusal: Refusal<M>): M

/** A value of type T (type-level only). */
export declare function typeOf<T>(): T
