-- Schema version 7: content sync reads the stored state of shipped rows only (origin
-- 'content'); these partial indexes find them without reading a collection's own or imported
-- cards, so syncing the small shipped library costs the same with 100,000 cards of your own.
CREATE INDEX notes_shipped ON notes(origin) WHERE origin = 'content';
CREATE INDEX cards_shipped ON cards(origin) WHERE origin = 'content';
CREATE INDEX quiz_items_shipped ON quiz_items(origin) WHERE origin = 'content';
