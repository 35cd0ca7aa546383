-- Roles: 'admin' keys are now scoped to their own environment, and 'owner' keys manage everything (apps, environments,
-- encryption keys, every environment). Keys made before this step were admins of everything, so they become owners:
-- nobody loses a permission they had.
UPDATE api_keys SET role = 'owner' WHERE role = 'admin';

-- Connect sessions are now deleted after their link expires (plus a grace period): the cleanup finds them by expiry.
CREATE INDEX ix_connect_sessions_expires ON connect_sessions(expires_at);
