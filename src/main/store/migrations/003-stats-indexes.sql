-- Schema version 3: indexes for the Stats page, so that no Stats query scans the cards table.
-- `retired_at` is carried as a column (always NULL here) so that the counts, whose WHERE must
-- repeat the index's condition, are answered from the index without reading the table.
-- Per-deck total and mature cards (scheduled_days >= 21).
CREATE INDEX cards_deck_interval ON cards(deck_id, scheduled_days, retired_at) WHERE retired_at IS NULL;
-- Suspended cards, across decks or in one.
CREATE INDEX cards_suspended ON cards(suspended, deck_id, retired_at) WHERE retired_at IS NULL;
