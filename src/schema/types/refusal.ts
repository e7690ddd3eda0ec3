declare const refused: unique symbol

/**
 * The type of a member that exists only to refuse: using it is a compile error whose text is
 * `Message` (the reason and the way out), never a bare `never`. Members typed so are also marked
 * `@deprecated`, so editors strike them through.
 */
export interface Refusal<Message extends string> {
  readonly [refused]: Message
}
