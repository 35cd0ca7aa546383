-- Placeholder on the `scale` branch only: migration versions must run without gaps, and 14 is another branch's.
-- Delete this file when merging (that branch's 0014 takes its place; 0015 follows it).
SELECT 1;
