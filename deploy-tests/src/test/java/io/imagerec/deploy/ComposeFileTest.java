package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The compose file at the root, where there is one, against the services' own settings. */
class ComposeFileTest {

    @Test
    void servicesMatchTheirOwnSettings() {
        Path compose = Repo.composeFile();
        Assumptions.assumeTrue(compose != null, "No docker-compose.yml (or compose.yaml) at the repository root: nothing to check");
        assertEquals(List.of(), ComposeChecks.check(Yamls.loadOne(Repo.read(compose)), Fixtures.settings()));
    }
}
