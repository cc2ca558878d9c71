-- Schema version 13: the new-card indexes hold `kind` and `buried_until` too (and, as in
-- migration 008, the columns of their own condition, which SQLite otherwise reads from the row),
-- so the queue's new-card count (drill cards are not new cards; a buried card waits) reads no
-- card row. Without them, every count of a deck's new cards read up to its limit of rows.
-- cards_buried lets the queue's cache (study/queue-cache.ts) ask, in one probe, whether a burial
-- ended since it counted a deck.
DROP INDEX cards_new_in_deck;
CREATE INDEX cards_new_in_deck ON cards(deck_id, position, kind, buried_until, state, retired_at, suspended) WHERE state = 0 AND retired_at IS NULL AND suspended = 0;
DROP INDEX cards_new_order;
CREATE INDEX cards_new_order ON cards(position, kind, buried_until, state, retired_at, suspended) WHERE state = 0 AND retired_at IS NULL AND suspended = 0;
CREATE INDEX cards_buried ON cards(buried_until) WHERE buried_until IS NOT NULL;
