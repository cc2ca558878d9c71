/** Ids of decks, notes, cards, quiz items and drills: plain names, never paths. */
export const PLAIN_NAME = /^[a-z0-9][a-z0-9-]{0,79}$/

/** A stored id may carry a cloze suffix (`tcp-flags#c2`) or a drill prefix (`drill:tcp-echo`). */
export const ENTITY_ID = /^(drill:)?[a-z0-9][a-z0-9-]{0,79}(#c[0-9]{1,3})?$/

export function isPlainName(value: string): boolean {
  return PLAIN_NAME.test(value)
}
