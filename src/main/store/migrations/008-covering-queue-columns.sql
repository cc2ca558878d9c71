-- Schema version 8: migration 005 put buried_until in the queue indexes, but a query must still
-- repeat the partial index's condition (retired_at IS NULL AND suspended = 0), and SQLite reads
-- the row to test it unless the index holds those columns too (as migration 003 does). With
-- them, the queue's counts and picks never read a card's row. `kind` is there for Home's
-- new-card count per deck (drill cards are not new cards).
DROP INDEX cards_queue;
CREATE INDEX cards_queue ON cards(deck_id, state, due, buried_until, retired_at, suspended, kind) WHERE retired_at IS NULL AND suspended = 0;
DROP INDEX cards_state_due;
CREATE INDEX cards_state_due ON cards(state, due, buried_until, retired_at, suspended) WHERE retired_at IS NULL AND suspended = 0;
