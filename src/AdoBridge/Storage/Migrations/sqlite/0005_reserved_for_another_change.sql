-- Placeholder so this branch's 0006 applies: migration 0005 belongs to another change of issue 15. When that change is
-- merged, its 0005 replaces this file (delete this one); a database that recorded this placeholder needs nothing from it.
SELECT 1;
