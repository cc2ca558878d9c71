-- Schema version 9: live (not retired) cards counted per deck, state, suspension and maturity,
-- kept by triggers as review_daily is for answers, so the Stats page's card counts read a few
-- hundred rows instead of one index entry per card (100,000 in the benchmark). A card is mature
-- from an interval (scheduled_days) of 21 days, MATURE_DAYS in store/stats.ts.
CREATE TABLE card_counts (
  deck_id TEXT NOT NULL,
  state INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  mature INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (deck_id, state, suspended, mature)
) WITHOUT ROWID;

INSERT INTO card_counts (deck_id, state, suspended, mature, n)
  SELECT deck_id, state, suspended, scheduled_days >= 21, count(*) FROM cards WHERE retired_at IS NULL GROUP BY 1, 2, 3, 4;

CREATE TRIGGER card_counts_insert AFTER INSERT ON cards WHEN new.retired_at IS NULL BEGIN
  INSERT INTO card_counts (deck_id, state, suspended, mature, n)
  VALUES (new.deck_id, new.state, new.suspended, new.scheduled_days >= 21, 1)
  ON CONFLICT (deck_id, state, suspended, mature) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER card_counts_delete AFTER DELETE ON cards WHEN old.retired_at IS NULL BEGIN
  UPDATE card_counts SET n = n - 1
   WHERE deck_id = old.deck_id AND state = old.state AND suspended = old.suspended AND mature = (old.scheduled_days >= 21);
END;

-- Fires only when the card moves between counts (most edits and many answers do not).
CREATE TRIGGER card_counts_update AFTER UPDATE OF deck_id, state, suspended, scheduled_days, retired_at ON cards
  WHEN old.deck_id != new.deck_id OR old.state != new.state OR old.suspended != new.suspended
    OR (old.scheduled_days >= 21) != (new.scheduled_days >= 21) OR (old.retired_at IS NULL) != (new.retired_at IS NULL)
BEGIN
  UPDATE card_counts SET n = n - 1
   WHERE old.retired_at IS NULL
     AND deck_id = old.deck_id AND state = old.state AND suspended = old.suspended AND mature = (old.scheduled_days >= 21);
  INSERT INTO card_counts (deck_id, state, suspended, mature, n)
  SELECT new.deck_id, new.state, new.suspended, new.scheduled_days >= 21, 1 WHERE new.retired_at IS NULL
  ON CONFLICT (deck_id, state, suspended, mature) DO UPDATE SET n = n + 1;
END;
