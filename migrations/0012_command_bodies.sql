-- A command id names one request: a retry repeats its body. The hash of the body (of its
-- jsonb text, which is canonical: key order and spacing do not matter) lets a reused id
-- with another body be refused as a conflict instead of answered with the first result.
-- Rows written before this migration have no hash and are compared by room and name only.
alter table commands add column data_hash bytea;
