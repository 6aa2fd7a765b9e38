-- Times as the app reads them from SQLite: text, UTC, with milliseconds ("2026-11-26
-- 13:05:09.123"), so both stores hand the same strings to the model; and "now" as the store
-- writes it (the clock at the statement, as SQLite's 'now', not the transaction's start).
CREATE FUNCTION pp_time(t TIMESTAMP) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_char(t, 'YYYY-MM-DD HH24:MI:SS.MS');

CREATE FUNCTION pp_now() RETURNS TIMESTAMP(3)
    LANGUAGE sql VOLATILE PARALLEL SAFE
    RETURN (clock_timestamp() AT TIME ZONE 'utc')::TIMESTAMP(3);
