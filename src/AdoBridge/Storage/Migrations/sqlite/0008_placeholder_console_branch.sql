-- Placeholder on the console branch only: the numbers 0008 and 0009 belong to other branches (see the console
-- branch's report). The migrator requires 1, 2, 3… without gaps, so this file holds the place; delete it at the merge.
SELECT 1;
