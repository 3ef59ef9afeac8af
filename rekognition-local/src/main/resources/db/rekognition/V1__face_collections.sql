-- Face collections shared by every engine replica (rekognition.collections.store=postgresql).
-- In its own schema, with its own Flyway history (rekognition.flyway_schema_history), so it can share a
-- database with results-service.

-- A collection's version is new each time the id is created: a replica holding a cache of an older
-- collection of the same id (deleted and created again) sees that it must load it afresh.
CREATE SEQUENCE rekognition.collection_version;

CREATE TABLE rekognition.collections (
    -- Byte order, as Java orders Strings: ListCollections pages by id.
    id          text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL UNIQUE DEFAULT nextval('rekognition.collection_version'),
    created_at  bigint NOT NULL,
    -- The identity descriptor's configuration name (arcface, faceres).
    descriptor  text NOT NULL,
    -- The collection's change sequence: every write transaction takes the next number (under this row's
    -- lock) and stamps its rows with it, so a replica asks only for changes after the last one it holds.
    last_seq    bigint NOT NULL DEFAULT 0,
    face_count  bigint NOT NULL DEFAULT 0
);

CREATE TABLE rekognition.faces (
    collection_version  bigint NOT NULL REFERENCES rekognition.collections (version) ON DELETE CASCADE,
    face_id             uuid NOT NULL,
    seq                 bigint NOT NULL,
    image_id            uuid NOT NULL,
    external_image_id   text,
    box_width           real NOT NULL,
    box_height          real NOT NULL,
    box_left            real NOT NULL,
    box_top             real NOT NULL,
    confidence          real NOT NULL,
    indexed_at          bigint NOT NULL,
    -- The descriptor as the engine searches it: one signed byte per dimension times vector_scale.
    vector_scale        real NOT NULL,
    vector              bytea NOT NULL,
    PRIMARY KEY (collection_version, face_id)
);
CREATE INDEX faces_changes ON rekognition.faces (collection_version, seq);

-- Deleted faces, so that replicas holding them drop them too. Removed with their collection.
CREATE TABLE rekognition.deleted_faces (
    collection_version  bigint NOT NULL REFERENCES rekognition.collections (version) ON DELETE CASCADE,
    face_id             uuid NOT NULL,
    seq                 bigint NOT NULL
);
CREATE INDEX deleted_faces_changes ON rekognition.deleted_faces (collection_version, seq);
