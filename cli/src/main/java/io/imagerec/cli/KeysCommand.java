package io.imagerec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.imagerec.contracts.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code imagerec keys ...}: the API keys of a tenant, through ingest-service's {@code /v1/keys}, with an
 * admin key (or the operator's). Prints the server's JSON answer on stdout; a refused request prints
 * its error on stderr and exits 1.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Imagerec.Version.class,
        description = "Create, list, rotate and revoke API keys (needs a key with the admin scope).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Rotate.class,
                KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "${env:IMAGEREC_ENDPOINT:-http://localhost:8080}",
            description = "ingest-service (default: ${DEFAULT-VALUE}).", scope = CommandLine.ScopeType.INHERIT)
    URI endpoint;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:IMAGEREC_API_KEY}",
            description = "An admin key (prefer the environment variable IMAGEREC_API_KEY).",
            scope = CommandLine.ScopeType.INHERIT)
    String apiKey;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: create, list, rotate or revoke");
    }

    /** Sends one request; prints the answer; 0 on 2xx, 1 otherwise. */
    int call(CommandSpec command, String method, String path, String json) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new CommandLine.ParameterException(command.commandLine(), "An admin key is needed: --api-key or IMAGEREC_API_KEY");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Api-Key", apiKey).header("Accept", "application/json");
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 == 2) {
                out.println(answer.body());
                return Imagerec.OK;
            }
            err.println("imagerec keys: " + answer.statusCode() + " " + answer.body());
            return Imagerec.SOME_FAILED;
        } catch (IOException e) {
            err.println("imagerec keys: " + endpoint + " cannot be reached: " + e.getMessage());
            return Imagerec.SOME_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Imagerec.SOME_FAILED;
        }
    }

    static String keyId(CommandSpec command, String keyId) {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new CommandLine.ParameterException(command.commandLine(), "A key id is 16 hex digits: " + keyId);
        }
        return keyId;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is printed once, in 'key'.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
                description = "upload, read, admin (repeat or comma-separate).")
        List<String> scopes;

        @Option(names = "--name", paramLabel = "TEXT", description = "What the key is for.")
        String name;

        @Option(names = "--tenant", paramLabel = "ID", description = "The key's tenant (operator's key only; default: yours).")
        String tenant;

        @Override
        public Integer call() {
            ObjectNode body = Json.mapper().createObjectNode();
            body.putArray("scopes").addAll(scopes.stream().map(s -> Json.mapper().getNodeFactory().textNode(s)).toList());
            if (name != null) {
                body.put("name", name);
            }
            if (tenant != null) {
                body.put("tenant", tenant);
            }
            return keys.call(spec, "POST", "/v1/keys", body.toString());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenant's keys, without secrets.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", paramLabel = "ID", description = "Only this tenant's (operator's key only).")
        String tenant;

        @Override
        public Integer call() {
            return keys.call(spec, "GET", "/v1/keys" + (tenant == null ? ""
                    : "?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8)), null);
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "A new secret for a key; the old one stops working.")
    static final class Rotate implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            return keys.call(spec, "POST", "/v1/keys/" + keyId(spec, keyId) + "/rotate", null);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key for good.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            return keys.call(spec, "DELETE", "/v1/keys/" + keyId(spec, keyId), null);
        }
    }
}
