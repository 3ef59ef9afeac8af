package io.imagerec.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose file's services against the modules they run (by image {@code imagerec/<module>:<tag>}, or a
 * service named like a module): environment variable names, container ports, health check URLs,
 * stop grace periods, and URLs that name another service's port.
 */
final class ComposeChecks {

    private static final Pattern HEALTH_URL = Pattern.compile("(?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0):(\\d+)(/[A-Za-z0-9/_-]*)?");
    private static final Pattern SERVICE_URL = Pattern.compile("://([a-z0-9_-]+):(\\d+)");

    private ComposeChecks() {
    }

    static List<String> check(Map<String, Object> compose, Map<String, ServiceSettings> settings) {
        List<String> p = new ArrayList<>();
        Map<String, Object> services = CloudFormationChecks.map(compose.get("services"));
        if (services.isEmpty()) {
            p.add("compose: no services");
        }
        Map<String, String> modules = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            String module = ServiceSettings.moduleOfImage((String) CloudFormationChecks.map(service).get("image"));
            if (module == null && ServiceSettings.MODULES.contains(name)) {
                module = name;
            }
            if (module != null) {
                modules.put(name, module);
            }
        });
        for (Map.Entry<String, Object> e : services.entrySet()) {
            String module = modules.get(e.getKey());
            if (module == null) {
                continue;
            }
            ServiceSettings s = settings.get(module);
            Map<String, Object> service = CloudFormationChecks.map(e.getValue());
            String where = "services." + e.getKey() + " (" + module + ")";
            for (Map.Entry<String, String> env : environment(service.get("environment")).entrySet()) {
                if (!s.environment().contains(env.getKey())) {
                    p.add(where + ": environment variable " + env.getKey() + " is read by nothing in " + module);
                }
                Matcher url = SERVICE_URL.matcher(env.getValue() == null ? "" : env.getValue());
                while (url.find()) {
                    String other = modules.get(url.group(1));
                    if (other != null && !settings.get(other).ports().contains(Integer.parseInt(url.group(2)))) {
                        p.add(where + ": " + env.getKey() + " names port " + url.group(2) + " of " + url.group(1)
                                + ", which listens on " + settings.get(other).ports());
                    }
                }
            }
            for (Object port : CloudFormationChecks.asList(service.get("ports"))) {
                Integer container = containerPort(port);
                if (container != null && !s.ports().contains(container)) {
                    p.add(where + ": publishes container port " + container + ", " + module + " listens on " + s.ports());
                }
            }
            Object test = Yamls.at(service, "healthcheck", "test");
            if (test != null) {
                String command = test instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(test);
                Matcher m = HEALTH_URL.matcher(command);
                while (m.find()) {
                    int port = Integer.parseInt(m.group(1));
                    if (s.hasHealth()) {
                        if (port != s.healthPort()) {
                            p.add(where + ": health check on port " + port + ", " + module + " serves health on " + s.healthPort());
                        }
                        if (m.group(2) != null && !m.group(2).startsWith(s.healthRoot() + "/")) {
                            p.add(where + ": health check path " + m.group(2) + " is not under " + s.healthRoot());
                        }
                    } else if (!s.ports().contains(port)) {
                        p.add(where + ": health check on port " + port + ", " + module + " listens on " + s.ports());
                    }
                }
            }
            Object grace = service.get("stop_grace_period");
            if (grace != null && s.drain().toSeconds() > 0
                    && ServiceSettings.duration(String.valueOf(grace).replace("s", "S").replace("m", "M")).toSeconds() <= s.drain().toSeconds()) {
                p.add(where + ": stop_grace_period " + grace + " is not longer than " + module + "'s drain of " + s.drain().toSeconds() + " s");
            }
        }
        return p;
    }

    private static Map<String, String> environment(Object value) {
        Map<String, String> env = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            for (Object item : CloudFormationChecks.asList(value)) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    private static Integer containerPort(Object port) {
        if (port instanceof Map<?, ?> m) {
            Object target = m.get("target");
            return target == null ? null : Integer.valueOf(String.valueOf(target));
        }
        String s = String.valueOf(port);
        if (s.contains("/")) {
            s = s.substring(0, s.indexOf('/'));
        }
        String last = s.substring(s.lastIndexOf(':') + 1);
        return last.matches("\\d+") ? Integer.valueOf(last) : null;
    }
}
