-- Schema version 6: Browse with a deck: filter walks the deck's live cards in this index (in
-- position order, without reading the cards' rows) and checks each against the full-text
-- matches, instead of reading the row of every card in the collection that matches the words.
CREATE INDEX cards_deck_live ON cards(deck_id, position) WHERE retired_at IS NULL;
