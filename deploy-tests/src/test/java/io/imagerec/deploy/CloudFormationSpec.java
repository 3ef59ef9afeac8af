package io.imagerec.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CloudFormation resource specification as AWS CDK ships it: {@code db.json.gz} of the npm package
 * {@code @aws-cdk/aws-service-spec} (pinned in cfn-spec/package-lock.json, installed by the build with
 * npm ci). Each resource type has its properties (type, required) and attributes; property types refer
 * to type definitions by id.
 */
final class CloudFormationSpec {

    static final Path DATABASE = Path.of("deploy-tests/cfn-spec/node_modules/@aws-cdk/aws-service-spec/db.json.gz");

    private static CloudFormationSpec loaded;

    final Map<String, JsonNode> resources = new HashMap<>();
    final Map<String, JsonNode> types = new HashMap<>();

    private CloudFormationSpec(JsonNode db) {
        for (JsonNode resource : db.path("schema").path("resource").path("entities")) {
            resources.put(resource.path("cloudFormationType").asText(), resource);
        }
        for (JsonNode type : db.path("schema").path("typeDefinition").path("entities")) {
            types.put(type.path("$id").asText(), type);
        }
    }

    static synchronized CloudFormationSpec load() {
        if (loaded == null) {
            Path file = Repo.root().resolve(DATABASE);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("No CloudFormation specification at " + file + ": the build installs it with "
                        + "npm (cd deploy-tests/cfn-spec && npm ci --ignore-scripts); npm must be installed");
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                loaded = new CloudFormationSpec(Yamls.JSON.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (loaded.resources.size() < 1000) {
                throw new IllegalStateException("The specification at " + file + " lists only " + loaded.resources.size() + " resource types");
            }
        }
        return loaded;
    }

    JsonNode type(JsonNode typeRef) {
        return types.get(typeRef.path("reference").path("$ref").asText());
    }
}
