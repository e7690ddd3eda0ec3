/** The error `f` throws (with its `code` when it has one); fails the test when it throws nothing. */
export const errorOf = (f: () => unknown): Error & { code?: string } => {
  try {
    f()
  } catch (e) {
    return e as Error & { code?: string }
  }
  throw new Error('expected an error')
}
