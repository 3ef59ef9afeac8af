package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every YAML and JSON file under deploy/, and the compose file at the root if there is one, parses. */
class DeployFilesParseTest {

    @TestFactory
    Stream<DynamicTest> everyFileParses() {
        List<Path> files = new ArrayList<>(Repo.files(Repo.path("deploy"), ".yaml", ".yml", ".json"));
        if (Repo.composeFile() != null) {
            files.add(Repo.composeFile());
        }
        assertFalse(files.isEmpty(), "no YAML or JSON files under deploy/");
        return files.stream().map(file -> DynamicTest.dynamicTest(Repo.root().relativize(file).toString(), () -> {
            String text = Repo.read(file);
            if (file.toString().endsWith(".json")) {
                Yamls.loadJson(text);
            } else {
                assertFalse(Yamls.loadAll(text).isEmpty(), file + " holds no YAML document");
            }
        }));
    }

    @Test
    void aFileThatDoesNotParseIsReported() {
        assertThrows(RuntimeException.class, () -> Yamls.loadAll("a: [1, 2\nb: c"));
        assertThrows(RuntimeException.class, () -> Yamls.loadAll("a: 1\na: 2"));
        assertThrows(RuntimeException.class, () -> Yamls.loadJson("{\"a\": 1,}"));
    }

    @Test
    void cloudFormationShortFormsBecomeLongForms() {
        Object doc = Yamls.loadOne("a: !GetAtt Queue.Arn\nb: !Sub 'x-${AWS::Region}'\nc: !If [Cond, !Ref P, !Ref AWS::NoValue]\n");
        org.junit.jupiter.api.Assertions.assertEquals(List.of("Queue", "Arn"), Yamls.at(doc, "a", "Fn::GetAtt"));
        org.junit.jupiter.api.Assertions.assertEquals("x-${AWS::Region}", Yamls.at(doc, "b", "Fn::Sub"));
        org.junit.jupiter.api.Assertions.assertEquals("P", Yamls.at(doc, "c", "Fn::If", 1, "Ref"));
    }
}
