-- Placeholder on the stream branch only: number 8 belongs to another branch's migration, which replaces this file at
-- merge (delete this one then). Without it the migrator refuses the gap before 0009.
SELECT 1;
