package io.imagerec.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Reads one series of a service's Prometheus text at {@code /q/metrics} (its management port). */
public final class PrometheusScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    public static PrometheusScrape of(int port) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("/q/metrics answered " + answer.statusCode());
            }
            return new PrometheusScrape(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String text() {
        return text;
    }

    /** Whether a series of this name (any labels) is present. */
    public boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    /**
     * The sum of the series of this name whose labels include all the given ones; 0 when there is none.
     */
    public double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String raw : text.lines().toList()) {
            // OpenMetrics exemplars follow the value: `name{...} 1.0 # {trace_id="..."} 1.0 1795674233.1`.
            int exemplar = raw.indexOf(" # ");
            String line = exemplar > 0 ? raw.substring(0, exemplar) : raw;
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            String series = line.substring(0, line.lastIndexOf(' '));
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> series.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    public double value(String name) {
        return value(name, Map.of());
    }
}
