package io.imagerec.results.ui;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.ext.web.Router;

/** {@code /} and {@code /ui} lead to the web UI at {@code /ui/} (the static files answer there). */
@Singleton
public class HomeRedirect {

    void routes(@Observes Router router) {
        // Vert.x matches a path with or without its trailing slash: /ui/ itself goes on to the files.
        router.get("/").handler(rc -> rc.redirect("/ui/"));
        router.get("/ui").handler(rc -> {
            if (rc.request().path().equals("/ui")) {
                rc.redirect("/ui/");
            } else {
                rc.next();
            }
        });
    }
}
