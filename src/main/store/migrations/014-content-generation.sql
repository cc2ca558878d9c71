-- Schema version 14: a counter that moves whenever a row content sync reads could have changed:
-- any insert or delete in the five synced tables, and any update of a column a sync compares
-- (id, deck, origin, placement, content hash, retired and user-edited times). Content sync with
-- nothing changed (content/unchanged.ts) compares it with the value its last full sync left,
-- instead of reading every shipped row. An answer, a bury or a flag changes none of these
-- columns, so the triggers do not fire for them.
CREATE TABLE content_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO content_generation (id, n) VALUES (1, 0);
CREATE TRIGGER decks_content_generation_insert AFTER INSERT ON decks BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER decks_content_generation_delete AFTER DELETE ON decks BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER decks_content_generation_update AFTER UPDATE OF id, position, origin, source_file, content_hash, retired_at ON decks BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER notes_content_generation_insert AFTER INSERT ON notes BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER notes_content_generation_delete AFTER DELETE ON notes BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER notes_content_generation_update AFTER UPDATE OF id, deck_id, origin, source_file, source_line, content_hash, retired_at, user_edited_at ON notes BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER cards_content_generation_insert AFTER INSERT ON cards BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER cards_content_generation_delete AFTER DELETE ON cards BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER cards_content_generation_update AFTER UPDATE OF id, deck_id, position, origin, source_file, source_line, content_hash, retired_at, user_edited_at ON cards BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER quiz_items_content_generation_insert AFTER INSERT ON quiz_items BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER quiz_items_content_generation_delete AFTER DELETE ON quiz_items BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER quiz_items_content_generation_update AFTER UPDATE OF id, deck_id, position, origin, source_file, source_line, content_hash, retired_at, user_edited_at ON quiz_items BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER drills_content_generation_insert AFTER INSERT ON drills BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER drills_content_generation_delete AFTER DELETE ON drills BEGIN UPDATE content_generation SET n = n + 1; END;
CREATE TRIGGER drills_content_generation_update AFTER UPDATE OF id, deck_id, content_hash, retired_at, origin, source_file ON drills BEGIN UPDATE content_generation SET n = n + 1; END;
