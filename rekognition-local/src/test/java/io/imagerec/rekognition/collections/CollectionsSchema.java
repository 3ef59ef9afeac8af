package io.imagerec.rekognition.collections;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/** The collections schema as the engine's Flyway makes it (application.properties: quarkus.flyway.*), for tests and benchmarks without the engine. */
final class CollectionsSchema {

    private CollectionsSchema() {
    }

    static void migrate(DataSource database) {
        Flyway.configure().dataSource(database).schemas("rekognition").locations("db/rekognition").load().migrate();
    }
}
