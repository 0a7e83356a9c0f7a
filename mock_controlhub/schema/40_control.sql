-- The mock clock's offset from real time, kept with the data so a restart does not travel back in time.
CREATE TABLE IF NOT EXISTS mock_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    offset_ms INTEGER NOT NULL
);
