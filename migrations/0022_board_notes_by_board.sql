-- A board's notes are read by board (its snapshot, and each note's event): without this
-- index every read scanned the notes of every board (the breakouts benchmark slowed down
-- run after run as the table grew).
create index board_notes_session_idx on board_notes (session_id, created_at);
