-- Schema version 5: the queue indexes carry `buried_until`, so the queue's counts and picks
-- (which skip buried cards) are answered from the index without reading each card's row.
-- Same names, so every `INDEXED BY cards_queue` / `cards_state_due` keeps its meaning.
DROP INDEX cards_queue;
CREATE INDEX cards_queue ON cards(deck_id, state, due, buried_until) WHERE retired_at IS NULL AND suspended = 0;
DROP INDEX cards_state_due;
CREATE INDEX cards_state_due ON cards(state, due, buried_until) WHERE retired_at IS NULL AND suspended = 0;
