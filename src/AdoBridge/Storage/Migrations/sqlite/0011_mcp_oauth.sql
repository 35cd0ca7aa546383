-- AdoBridge as the OAuth 2.1 authorization server of /mcp (OpenIddict): the registered clients (dynamic registration or
-- client ID metadata documents), the grants users approved (one per client and connection: the remembered consent),
-- and the tokens issued (kept so a revoked one is refused at once and rotated refresh tokens are used once). OpenIddict's
-- own columns, in snake_case. Then the server's signing and encryption keys, sealed with the master key ring, so every
-- instance on this database signs and reads the same tokens.
CREATE TABLE oauth_applications (
    id                        TEXT NOT NULL PRIMARY KEY,
    application_type          TEXT NULL,
    client_id                 TEXT NULL,
    client_secret             TEXT NULL,
    client_type               TEXT NULL,
    concurrency_token         TEXT NULL,
    consent_type              TEXT NULL,
    display_name              TEXT NULL,
    display_names             TEXT NULL,
    json_web_key_set          TEXT NULL,
    permissions               TEXT NULL,
    post_logout_redirect_uris TEXT NULL,
    properties                TEXT NULL,
    redirect_uris             TEXT NULL,
    requirements              TEXT NULL,
    settings                  TEXT NULL
);
CREATE UNIQUE INDEX ix_oauth_applications_client_id ON oauth_applications(client_id);

CREATE TABLE oauth_authorizations (
    id                TEXT NOT NULL PRIMARY KEY,
    application_id    TEXT NULL REFERENCES oauth_applications(id),
    concurrency_token TEXT NULL,
    creation_date     TEXT NULL,
    properties        TEXT NULL,
    scopes            TEXT NULL,
    status            TEXT NULL,
    subject           TEXT NULL,
    type              TEXT NULL
);
CREATE INDEX ix_oauth_authorizations_app ON oauth_authorizations(application_id, status, subject, type);

CREATE TABLE oauth_scopes (
    id                TEXT NOT NULL PRIMARY KEY,
    concurrency_token TEXT NULL,
    description       TEXT NULL,
    descriptions      TEXT NULL,
    display_name      TEXT NULL,
    display_names     TEXT NULL,
    name              TEXT NULL,
    properties        TEXT NULL,
    resources         TEXT NULL
);
CREATE UNIQUE INDEX ix_oauth_scopes_name ON oauth_scopes(name);

CREATE TABLE oauth_tokens (
    id                TEXT NOT NULL PRIMARY KEY,
    application_id    TEXT NULL REFERENCES oauth_applications(id),
    authorization_id  TEXT NULL REFERENCES oauth_authorizations(id),
    concurrency_token TEXT NULL,
    creation_date     TEXT NULL,
    expiration_date   TEXT NULL,
    payload           TEXT NULL,
    properties        TEXT NULL,
    redemption_date   TEXT NULL,
    reference_id      TEXT NULL,
    status            TEXT NULL,
    subject           TEXT NULL,
    type              TEXT NULL
);
CREATE UNIQUE INDEX ix_oauth_tokens_reference_id ON oauth_tokens(reference_id);
CREATE INDEX ix_oauth_tokens_app ON oauth_tokens(application_id, status, subject, type);
CREATE INDEX ix_oauth_tokens_authorization ON oauth_tokens(authorization_id);
CREATE INDEX ix_oauth_tokens_subject ON oauth_tokens(subject);

CREATE TABLE oauth_keys (
    id          TEXT NOT NULL PRIMARY KEY,
    sealed_key  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
