-- Schema version 4: drills sync from content like decks and cards do.
ALTER TABLE drills ADD COLUMN origin TEXT NOT NULL DEFAULT 'content' CHECK (origin IN ('content', 'user', 'import'));
ALTER TABLE drills ADD COLUMN source_file TEXT;
