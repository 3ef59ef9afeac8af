-- Users of a collection (CreateUser, AssociateFaces, SearchUsers, ...): up to 100 faces each, a face in at
-- most one user. Removed with their collection.
CREATE TABLE rekognition.users (
    collection_version  bigint NOT NULL REFERENCES rekognition.collections (version) ON DELETE CASCADE,
    user_id             text COLLATE "C" NOT NULL,
    -- ListUsers pages in this order (Rekognition: "sorted by system generated primary key ID").
    ordinal             bigserial,
    created_at          bigint NOT NULL,
    PRIMARY KEY (collection_version, user_id)
);
CREATE UNIQUE INDEX users_order ON rekognition.users (collection_version, ordinal);

-- The user a face is associated with. An association change stamps the face row with a new change number,
-- so replicas fetch it again with their next catch-up.
ALTER TABLE rekognition.faces ADD COLUMN user_id text COLLATE "C";
CREATE INDEX faces_user ON rekognition.faces (collection_version, user_id) WHERE user_id IS NOT NULL;

-- ClientRequestToken of the user operations: a call repeated with the same token and parameters gets the
-- first call's answer; with other parameters, IdempotentParameterMismatchException.
CREATE TABLE rekognition.user_requests (
    collection_version  bigint NOT NULL REFERENCES rekognition.collections (version) ON DELETE CASCADE,
    operation           text NOT NULL,
    token               text NOT NULL,
    parameters          text NOT NULL,
    response            text NOT NULL,
    PRIMARY KEY (collection_version, operation, token)
);
