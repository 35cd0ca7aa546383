-- Placeholder for the OAuth migration (another branch); remove at merge. Keeps the migrations contiguous on this branch.
SELECT 1;
