-- Schema version 10: flags, and finding siblings quickly.
-- Anki's flags: 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple.
ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 7);
CREATE INDEX cards_flag ON cards(flag) WHERE flag != 0;
-- Cards linked to drills are few; answering one looks up the others linked to the same drill.
CREATE INDEX cards_linked ON cards(drills) WHERE drills != '';
