-- Console sign-in with an OpenID Connect provider (Microsoft Entra ID): an account is linked to the issuer and subject
-- of its first such sign-in, so a later change of the person's e-mail address does not break it. NULLs are distinct in
-- a unique index (both engines), so accounts without a link do not collide.
ALTER TABLE console_users ADD COLUMN external_issuer TEXT NULL;
ALTER TABLE console_users ADD COLUMN external_subject TEXT NULL;
CREATE UNIQUE INDEX ix_console_users_external ON console_users(external_issuer, external_subject);
