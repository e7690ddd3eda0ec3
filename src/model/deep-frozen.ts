/**
 * Objects known to be frozen all the way down (see `isDeepFrozen`). Internal to the package: only
 * code that froze every part of a value itself may add it here.
 */
export const deepFrozen = new WeakSet<object>()
