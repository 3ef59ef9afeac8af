package io.imagerec.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hostile-input corpus: every case is generated here (no files), so it is the same on every run
 * and on every machine. A case is one raw HTTP request to one service and what it may answer:
 * <ul>
 * <li>{@link Outcome#REFUSED}: a 4xx with a stable code (the README's error table; for the engine an
 * AWS error type in {@code __type});</li>
 * <li>{@link Outcome#REFUSED_BY_HTTP} : a 4xx, which may come from the HTTP layer before the
 * application (431 for oversized headers, 414 for a long request line, 400 for a broken request line),
 * without the JSON body;</li>
 * <li>{@link Outcome#ACCEPTED_OR_REFUSED}: well-formed enough that answering 2xx is right (a 16-bit
 * PNG; a polyglot that is a valid JPEG; ingest does not decode images, so any JPEG or PNG signature
 * is accepted there and the engine judges the pixels), or else refused as above.</li>
 * </ul>
 * Never a 5xx, never slower than a few seconds.
 */
final class HostileCorpus {

    enum Service {
        INGEST, RESULTS, ENGINE
    }

    enum Outcome {
        REFUSED, REFUSED_BY_HTTP, ACCEPTED_OR_REFUSED,
        /** Broken framing inside a body (a chunk size that is not hex): the connection may just be closed. */
        CLOSED_OR_REFUSED_BY_HTTP
    }

    /**
     * One hostile request; built when sent (engine requests are signed at that moment). {@code status} is
     * the one status a refusal must have, or 0 for any 4xx.
     */
    record Case(Service service, String name, Outcome outcome, int status, Supplier<RawHttp.Request> request) {
    }

    /** An image of the corpus; {@code undecodable} when no decoder could make pixels of it within limits. */
    record Image(String name, byte[] bytes, boolean undecodable) {

        boolean jpegOrPngSignature() {
            boolean jpeg = bytes.length >= 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8
                    && (bytes[2] & 0xff) == 0xFF;
            boolean png = bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N'
                    && bytes[3] == 'G';
            return jpeg || png;
        }

        String declaredType() {
            return bytes.length > 0 && (bytes[0] & 0xff) == 0x89 ? "image/png" : "image/jpeg";
        }
    }

    private static final String ZERO_UUID = "01890a5d-ac96-774b-bcce-b302099a8057";

    private final String ingest;
    private final String results;
    private final String engine;
    private final String apiKey;
    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus(String ingest, String results, String engine, String apiKey) {
        this.ingest = ingest;
        this.results = results;
        this.engine = engine;
        this.apiKey = apiKey;
    }

    /** Every case, for the services at these base URLs, with the operator's key where one is needed. */
    static List<Case> cases(String ingestUrl, String resultsUrl, String engineUrl, String apiKey) {
        HostileCorpus corpus = new HostileCorpus(ingestUrl, resultsUrl, engineUrl, apiKey);
        List<Image> images = images();
        corpus.ingestImages(images);
        corpus.ingestBodies();
        corpus.ingestMultipart();
        corpus.ingestParameters();
        corpus.ingestJson();
        corpus.http(Service.INGEST, ingestUrl, "POST", "/v1/images");
        corpus.results();
        corpus.http(Service.RESULTS, resultsUrl, "GET", "/v1/jobs/" + ZERO_UUID);
        corpus.engineImages(images);
        corpus.engineRequests();
        return List.copyOf(corpus.cases);
    }

    /** The image part of the corpus. */
    static List<Image> images() {
        byte[] jpeg = HostileImages.jpeg(128, 96);
        byte[] png = HostileImages.png(128, 96);
        return List.of(
                new Image("jpeg/truncated-at-half", HostileImages.truncated(jpeg, 0.5), false),
                new Image("jpeg/soi-only", HostileImages.jpegSoiOnly(), true),
                new Image("jpeg/no-scan-data", HostileImages.jpegWithoutScan(jpeg), false),
                new Image("jpeg/noise-in-scan", HostileImages.jpegNoisyScan(jpeg), false),
                new Image("jpeg/segment-claims-65535-bytes", HostileImages.jpegOverlongSegment(jpeg), true),
                new Image("jpeg/zero-length-segment", HostileImages.jpegZeroLengthSegment(jpeg), true),
                new Image("jpeg/frame-0x0-255-components", HostileImages.jpegBadFrame(jpeg), true),
                new Image("png/truncated-at-half", HostileImages.truncated(png, 0.5), false),
                new Image("png/signature-only", HostileImages.pngSignatureOnly(), true),
                new Image("png/bad-ihdr-crc", HostileImages.pngBadCrc(png), false),
                new Image("png/idat-not-zlib", HostileImages.pngBadZlib(128, 96), true),
                new Image("png/no-iend", HostileImages.pngWithoutIend(png), false),
                new Image("png/depth-7-colour-type-5", HostileImages.pngInvalidHeader(), true),
                new Image("png/chunk-length-2^31-1", HostileImages.pngHugeChunk(128, 96), true),
                new Image("png/palette-without-plte", HostileImages.paletteWithoutPlte(128, 96), true),
                new Image("magic/gif", HostileImages.gif(), true),
                new Image("magic/bmp", HostileImages.bmp(), true),
                new Image("magic/webp", HostileImages.webp(), true),
                new Image("magic/pdf", HostileImages.pdf(), true),
                new Image("magic/svg-xxe-script", HostileImages.svg(), true),
                new Image("magic/elf", HostileImages.elf(), true),
                new Image("magic/html", HostileImages.html(), true),
                new Image("magic/zeros", HostileImages.zeros(4096), true),
                new Image("magic/noise", HostileImages.noise(4096), true),
                new Image("polyglot/jpeg+zip", HostileImages.jpegZip(jpeg), false),
                new Image("polyglot/jpeg+html", HostileImages.jpegHtml(jpeg), false),
                new Image("polyglot/png+html", HostileImages.pngHtml(128, 96), false),
                new Image("bomb/png-50000x50000-grey", HostileImages.pngBomb(), true),
                new Image("bomb/png-50000x50000-rgba16", HostileImages.pngBombRgba16(), true),
                new Image("bomb/png-2147483647x1", HostileImages.pngWidest(), true),
                new Image("bomb/jpeg-50000x50000", HostileImages.jpegBomb(), true),
                new Image("bomb/jpeg-progressive-65500x65500", HostileImages.progressiveJpegBomb(), true),
                new Image("bomb/png-0x0", HostileImages.pngZeroSize(), true),
                new Image("odd/png-16-bit", HostileImages.png16(128, 96), false),
                new Image("odd/jpeg-cmyk", HostileImages.cmykJpeg(128, 96), false),
                new Image("odd/png-palette", HostileImages.palettePng(128, 96), false),
                new Image("odd/png-interlaced", HostileImages.interlacedPng(131, 97), false),
                new Image("odd/jpeg-progressive", HostileImages.progressiveJpeg(128, 96), false),
                new Image("exif/ifd-offset-out-of-range", HostileImages.exifOffsetOutOfRange(jpeg), false),
                new Image("exif/ifds-in-a-loop", HostileImages.exifLoop(jpeg), false),
                new Image("exif/huge-counts", HostileImages.exifHugeCounts(jpeg), false));
    }

    // ---- ingest ----

    private void ingestImages(List<Image> images) {
        for (Image image : images) {
            // Ingest sniffs the signature and does not decode: a JPEG or PNG signature is accepted (the
            // engine judges the pixels, and the job fails with its error); anything else is 415.
            Outcome outcome = image.jpegOrPngSignature() ? Outcome.ACCEPTED_OR_REFUSED : Outcome.REFUSED;
            add(Service.INGEST, "image-body/" + image.name(), outcome, () -> upload(image.declaredType())
                    .body(image.bytes()).build());
        }
        for (String name : List.of("magic/html", "magic/svg-xxe-script", "bomb/png-50000x50000-grey",
                "polyglot/jpeg+zip", "exif/ifds-in-a-loop")) {
            Image image = images.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            Outcome outcome = image.jpegOrPngSignature() ? Outcome.ACCEPTED_OR_REFUSED : Outcome.REFUSED;
            add(Service.INGEST, "image-multipart/" + name, outcome, () -> multipart(
                    part("file", "photo.jpg", "image/jpeg", image.bytes())));
        }
    }

    private void ingestBodies() {
        add(Service.INGEST, "body/empty", Outcome.REFUSED, () -> upload("image/jpeg").build());
        add(Service.INGEST, "body/empty-multipart-file", Outcome.REFUSED,
                () -> multipart(part("file", "empty.jpg", "image/jpeg", new byte[0])));
        add(Service.INGEST, "body/15MB-plus-one", Outcome.REFUSED,
                () -> upload("image/jpeg").body(HostileImages.jpegMagicPadded(15 * 1024 * 1024 + 1)).build());
        add(Service.INGEST, "body/17MB-chunked-without-length", Outcome.REFUSED_BY_HTTP,
                () -> upload("image/jpeg").body(HostileImages.jpegMagicPadded(17 * 1024 * 1024)).chunked().build());
        add(Service.INGEST, "body/declares-100GB-sends-10-bytes", Outcome.REFUSED, 413, () -> upload("image/jpeg")
                .noContentLength().header("Content-Length", "100000000000").body(new byte[10]).build());
        add(Service.INGEST, "body/content-length-not-a-number", Outcome.REFUSED_BY_HTTP, () -> upload("image/jpeg")
                .noContentLength().header("Content-Length", "abc").body(new byte[10]).build());
        add(Service.INGEST, "body/content-length-negative", Outcome.REFUSED_BY_HTTP, () -> upload("image/jpeg")
                .noContentLength().header("Content-Length", "-5").body(new byte[10]).build());
        add(Service.INGEST, "body/content-length-and-chunked", Outcome.REFUSED_BY_HTTP, () -> upload("image/jpeg")
                .header("Content-Length", "4").body(HostileImages.jpegMagicPadded(100)).chunked().build());
        add(Service.INGEST, "body/bad-chunk-size", Outcome.CLOSED_OR_REFUSED_BY_HTTP, () -> upload("image/jpeg").noContentLength()
                .header("Transfer-Encoding", "chunked").body("zz\r\nabc\r\n0\r\n\r\n").build());
        add(Service.INGEST, "body/declared-text-html", Outcome.REFUSED,
                () -> upload("text/html").body(HostileImages.jpeg(64, 64)).build());
        add(Service.INGEST, "body/no-content-type", Outcome.REFUSED, () -> RawHttp.request("POST", ingest, "/v1/images")
                .header("X-Api-Key", apiKey).body(HostileImages.jpeg(64, 64)).build());
        add(Service.INGEST, "body/content-type-unparseable", Outcome.REFUSED, 415,
                () -> upload("image/;;;=\"").body(HostileImages.jpeg(64, 64)).build());
    }

    private void ingestMultipart() {
        byte[] jpeg = HostileImages.jpeg(64, 64);
        add(Service.INGEST, "multipart/no-boundary", Outcome.REFUSED, () -> RawHttp.request("POST", ingest, "/v1/images")
                .header("X-Api-Key", apiKey).header("Content-Type", "multipart/form-data")
                .body(multipartBody("b0undary", part("file", "a.jpg", "image/jpeg", jpeg))).build());
        add(Service.INGEST, "multipart/other-boundary-in-body", Outcome.REFUSED, () -> RawHttp.request("POST", ingest,
                "/v1/images").header("X-Api-Key", apiKey).header("Content-Type", "multipart/form-data; boundary=xyz")
                .body(multipartBody("b0undary", part("file", "a.jpg", "image/jpeg", jpeg))).build());
        add(Service.INGEST, "multipart/unterminated", Outcome.REFUSED, () -> {
            byte[] body = multipartBody("b0undary", part("file", "a.jpg", "image/jpeg", jpeg));
            return multipartRequest("b0undary", java.util.Arrays.copyOf(body, body.length - 14));
        });
        add(Service.INGEST, "multipart/1500-fields", Outcome.REFUSED, () -> {
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                parts.add(part("f" + i, null, null, "x".getBytes(StandardCharsets.US_ASCII)));
            }
            parts.add(part("file", "a.jpg", "image/jpeg", jpeg));
            return multipart(parts.toArray(byte[][]::new));
        });
        add(Service.INGEST, "multipart/1500-file-parts", Outcome.REFUSED, () -> {
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                parts.add(part("file" + i, "f" + i + ".jpg", "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8}));
            }
            return multipart(parts.toArray(byte[][]::new));
        });
        add(Service.INGEST, "multipart/64KB-part-header", Outcome.REFUSED,
                () -> multipart(part("file", "a".repeat(64 * 1024) + ".jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/3MB-text-field", Outcome.REFUSED, () -> multipart(
                part("features", null, null, "LABELS,".repeat(3 * 1024 * 1024 / 7).getBytes(StandardCharsets.US_ASCII)),
                part("file", "a.jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/filename-traversal", Outcome.ACCEPTED_OR_REFUSED,
                () -> multipart(part("file", "../../../../etc/passwd", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/filename-nul-crlf", Outcome.REFUSED,
                () -> multipart(part("file", "a\0b\r\nContent-Type: text/html\r\n\r\n<script>", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/invalid-utf8-names", Outcome.REFUSED, () -> multipart(part("f\u00c3\u0028",
                "\u00ff\u00fe.jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/minConfidence-abc", Outcome.REFUSED, () -> multipart(
                part("minConfidence", null, null, "abc".getBytes(StandardCharsets.US_ASCII)),
                part("file", "a.jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/maxLabels-1e99", Outcome.REFUSED, () -> multipart(
                part("maxLabels", null, null, "1e99".getBytes(StandardCharsets.US_ASCII)),
                part("file", "a.jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/features-NOPE", Outcome.REFUSED, () -> multipart(
                part("features", null, null, "NOPE".getBytes(StandardCharsets.US_ASCII)),
                part("file", "a.jpg", "image/jpeg", jpeg)));
        add(Service.INGEST, "multipart/no-file-field", Outcome.REFUSED, () -> multipart(
                part("features", null, null, "LABELS".getBytes(StandardCharsets.US_ASCII))));
        add(Service.INGEST, "multipart/part-without-disposition", Outcome.REFUSED, () -> multipartRequest("b0undary",
                ("--b0undary\r\nContent-Type: image/jpeg\r\n\r\nxxxx\r\n--b0undary--\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1)));
    }

    private void ingestParameters() {
        byte[] jpeg = HostileImages.jpeg(64, 64);
        for (String query : List.of("minConfidence=abc", "minConfidence=NaN", "minConfidence=1e99",
                "minConfidence=-1", "minConfidence=%FF", "maxLabels=1e99", "maxLabels=99999999999", "maxLabels=%00",
                "maxLabels=-0x10", "features=NOPE", "features=MODERATIONS", "features=%00", "features=LABELS%0D%0AX:%201",
                "features=%C3%28", "features=..%2F..%2Fetc%2Fpasswd")) {
            add(Service.INGEST, "query/" + RawHttp.printable(query, 40), Outcome.REFUSED, 400,
                    () -> RawHttp.request("POST", ingest, "/v1/images?" + query).header("X-Api-Key", apiKey)
                            .header("Content-Type", "image/jpeg").body(jpeg).build());
        }
        add(Service.INGEST, "query/features-LABELS-500-times", Outcome.ACCEPTED_OR_REFUSED, () -> RawHttp.request("POST",
                ingest, "/v1/images?features=" + "LABELS,".repeat(500)).header("X-Api-Key", apiKey)
                .header("Content-Type", "image/jpeg").body(jpeg).build());
        Map<String, String[]> headers = Map.of(
                "header/tenant-traversal", new String[] {"X-Tenant-Id", "../../etc"},
                "header/tenant-invalid-utf8", new String[] {"X-Tenant-Id", "\u00c3\u0028"},
                "header/idempotency-key-1000-chars", new String[] {"Idempotency-Key", "k".repeat(1000)},
                "header/idempotency-key-invalid-utf8", new String[] {"Idempotency-Key", "\u00ff\u00fe\u00fd"});
        headers.forEach((name, header) -> add(Service.INGEST, name, Outcome.REFUSED, 400, () -> upload("image/jpeg")
                .header(header[0], header[1]).body(jpeg).build()));
        // Control characters in header values: the HTTP codec refuses them (400) before any header is read.
        Map<String, String[]> controls = Map.of(
                "header/tenant-nul", new String[] {"X-Tenant-Id", "acme\0"},
                "header/idempotency-key-control", new String[] {"Idempotency-Key", "a\u0001b"},
                "header/api-key-nul", new String[] {"X-Api-Key", "irk_\0"});
        controls.forEach((name, header) -> add(Service.INGEST, name, Outcome.REFUSED_BY_HTTP, 400,
                () -> upload("image/jpeg").header(header[0], header[1]).body(jpeg).build()));
        for (String[] key : List.<String[]>of(new String[] {"traversal", "irk_../../apikeys/x_" + "A".repeat(43)},
                new String[] {"bearer-10KB", null})) {
            add(Service.INGEST, "header/api-key-" + key[0], Outcome.REFUSED, () -> {
                RawHttp.Builder b = RawHttp.request("POST", ingest, "/v1/images").header("Content-Type", "image/jpeg")
                        .body(jpeg);
                return (key[1] == null ? b.header("Authorization", "Bearer " + "x".repeat(10_000))
                        : b.header("X-Api-Key", key[1])).build();
            });
        }
        add(Service.INGEST, "path/upload-complete-nul", Outcome.REFUSED, 404, () -> post(ingest, "/v1/uploads/%00/complete"));
        add(Service.INGEST, "path/upload-complete-traversal", Outcome.REFUSED, 404,
                () -> post(ingest, "/v1/uploads/..%2F..%2Fapikeys%2Fx/complete"));
        add(Service.INGEST, "path/upload-complete-crlf", Outcome.REFUSED, 404,
                () -> post(ingest, "/v1/uploads/" + ZERO_UUID + "%0D%0ASet-Cookie:%20a=b/complete"));
        add(Service.INGEST, "path/upload-complete-invalid-utf8", Outcome.REFUSED, 404,
                () -> post(ingest, "/v1/uploads/%C0%AE%C0%AE%FF/complete"));
        add(Service.INGEST, "path/backfill-nul", Outcome.REFUSED, 404, () -> get(ingest, "/v1/backfills/%00"));
        add(Service.INGEST, "path/backfill-traversal", Outcome.REFUSED, 404,
                () -> get(ingest, "/v1/backfills/..%2F..%2F..%2Fetc%2Fpasswd"));
        add(Service.INGEST, "path/backfill-dot-segments-encoded", Outcome.REFUSED,
                () -> get(ingest, "/v1/backfills/%2e%2e/%2e%2e/apikeys"));
        add(Service.INGEST, "path/key-nul", Outcome.REFUSED, 404, () -> get(ingest, "/v1/keys/%00"));
        add(Service.INGEST, "path/key-traversal", Outcome.REFUSED, 404, () -> get(ingest, "/v1/keys/..%2F..%2Fimages%2Fx"));
        add(Service.INGEST, "path/keys-tenant-nul", Outcome.REFUSED, () -> get(ingest, "/v1/keys?tenant=%00"));
        add(Service.INGEST, "header/accept-unparseable", Outcome.ACCEPTED_OR_REFUSED, () -> upload("image/jpeg")
                .header("Accept", "a/;;;=\"").body(jpeg).build());
        add(Service.INGEST, "method/unknown", Outcome.REFUSED, () -> RawHttp.request("BREW", ingest, "/v1/images")
                .header("X-Api-Key", apiKey).build());
    }

    private void ingestJson() {
        Map<String, String> uploads = new java.util.LinkedHashMap<>();
        uploads.put("truncated", "{\"contentType\":");
        uploads.put("array", "[]");
        uploads.put("string", "\"x\"");
        uploads.put("null", "null");
        uploads.put("empty", "");
        uploads.put("length-text", "{\"contentType\":\"image/jpeg\",\"contentLength\":\"abc\"}");
        uploads.put("length-1e99", "{\"contentType\":\"image/jpeg\",\"contentLength\":1e99}");
        uploads.put("length-negative", "{\"contentType\":\"image/jpeg\",\"contentLength\":-1}");
        uploads.put("type-nul", "{\"contentType\":\"image/png\\u0000\",\"contentLength\":10}");
        uploads.put("features-NOPE", "{\"contentType\":\"image/jpeg\",\"contentLength\":10,\"features\":[\"NOPE\"]}");
        uploads.put("features-object", "{\"contentType\":\"image/jpeg\",\"contentLength\":10,\"features\":{}}");
        uploads.put("nesting-20000", "[".repeat(20_000));
        uploads.put("invalid-utf8", "{\"contentType\":\"image/jpeg\u00ff\u00fe\",\"contentLength\":10}");
        uploads.forEach((name, json) -> add(Service.INGEST, "json/uploads-" + name, Outcome.REFUSED,
                () -> RawHttp.request("POST", ingest, "/v1/uploads").header("X-Api-Key", apiKey)
                        .header("Content-Type", "application/json")
                        .body(json.getBytes(StandardCharsets.ISO_8859_1)).build()));
        Map<String, String> backfills = Map.of(
                "bucket-traversal", "{\"bucket\":\"../../etc\"}",
                "prefix-nul", "{\"bucket\":\"old-photos\",\"prefix\":\"a\\u0000b\"}",
                "rate-text", "{\"bucket\":\"old-photos\",\"ratePerSecond\":\"abc\"}",
                "rate-1e99", "{\"bucket\":\"old-photos\",\"ratePerSecond\":1e99}",
                "minConfidence-NaN", "{\"bucket\":\"old-photos\",\"minConfidence\":\"NaN\"}");
        backfills.forEach((name, json) -> add(Service.INGEST, "json/backfills-" + name, Outcome.REFUSED,
                () -> RawHttp.request("POST", ingest, "/v1/backfills").header("X-Api-Key", apiKey)
                        .header("Content-Type", "application/json").body(json).build()));
        Map<String, String> keys = Map.of(
                "truncated", "{\"name\":",
                "scope-root", "{\"name\":\"x\",\"scopes\":[\"root\"],\"tenant\":\"acme\"}",
                "tenant-traversal", "{\"name\":\"x\",\"scopes\":[\"read\"],\"tenant\":\"../../x\"}");
        keys.forEach((name, json) -> add(Service.INGEST, "json/keys-" + name, Outcome.REFUSED,
                () -> RawHttp.request("POST", ingest, "/v1/keys").header("X-Api-Key", apiKey)
                        .header("Content-Type", "application/json").body(json).build()));
    }

    // ---- results ----

    private void results() {
        for (String id : List.of("%00", "abc%00def", "..%2F..%2F..%2Fetc%2Fpasswd", ZERO_UUID + "%00",
                "%0D%0ASet-Cookie:%20a=b", "%FF%FE", "%C0%AE%C0%AE", "a".repeat(3000), "%E2%80%AE" + ZERO_UUID)) {
            add(Service.RESULTS, "path/job-" + RawHttp.printable(id, 40), Outcome.REFUSED, 404,
                    () -> get(results, "/v1/jobs/" + id));
            add(Service.RESULTS, "path/image-" + RawHttp.printable(id, 40), Outcome.REFUSED, 404,
                    () -> get(results, "/v1/images/" + id));
        }
        String year999999 = cursor("+999999-01-01T00:00:00Z\n" + ZERO_UUID);
        for (String query : List.of("label=%00", "label=Dog%00", "label=%0D%0A", "label=Dog%0D%0AX:%201",
                "text=%00", "text=no%00parking", "minConfidence=abc&label=Dog", "minConfidence=NaN&label=Dog",
                "minConfidence=1e99&label=Dog", "minConfidence=-1&label=Dog", "limit=1e99&label=Dog",
                "limit=abc&label=Dog", "limit=0&label=Dog", "limit=99999999999&label=Dog", "limit=%00&label=Dog",
                "minFaces=-1", "minFaces=abc", "maxFaces=1e99", "minFaces=5&maxFaces=2", "minFaces=%00",
                "label=Dog&text=parking", "", "label=" + "%C3%28".repeat(50) + "%00",
                "cursor=!!!not-base64&label=Dog", "cursor=" + cursor("garbage") + "&label=Dog",
                "cursor=" + year999999 + "&label=Dog", "cursor=" + year999999 + "&text=parking",
                "cursor=" + year999999 + "&minFaces=1",
                "cursor=" + cursor("-999999-01-01T00:00:00Z\n" + ZERO_UUID) + "&label=Dog",
                "cursor=" + cursor("2024-01-01T00:00:00Z\n\0") + "&label=Dog",
                "cursor=" + cursor("2024-01-01T00:00:00Z\n" + "x".repeat(1500)) + "&label=Dog",
                "cursor=" + Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 10, 0})
                        + "&label=Dog",
                "cursor=%00&label=Dog", "cursor=" + "A".repeat(3000) + "&label=Dog")) {
            add(Service.RESULTS, "query/" + RawHttp.printable(query, 48), Outcome.REFUSED, 400,
                    () -> get(results, "/v1/images?" + query));
        }
        for (String query : List.of("label=" + "x".repeat(2000), "label=%FF%FE", "text=!!!%26%26%26%7C%7C%7C:*()%5C",
                "text=" + "a+".repeat(1000), "label=%E2%80%AE%F0%9F%90%95")) {
            add(Service.RESULTS, "query/" + RawHttp.printable(query, 48), Outcome.ACCEPTED_OR_REFUSED,
                    () -> get(results, "/v1/images?" + query));
        }
        add(Service.RESULTS, "header/tenant-traversal", Outcome.REFUSED, () -> RawHttp.request("GET", results,
                "/v1/jobs/" + ZERO_UUID).header("X-Api-Key", apiKey).header("X-Tenant-Id", "../x").build());
        add(Service.RESULTS, "header/tenant-nul", Outcome.REFUSED_BY_HTTP, 400, () -> RawHttp.request("GET", results,
                "/v1/images?label=Dog").header("X-Api-Key", apiKey).header("X-Tenant-Id", "a\0b").build());
        add(Service.RESULTS, "header/api-key-invalid-utf8", Outcome.REFUSED, () -> RawHttp.request("GET", results,
                "/v1/jobs/" + ZERO_UUID).header("X-Api-Key", "\u00ff\u00fe\u00c3\u0028").build());
        add(Service.RESULTS, "method/post", Outcome.REFUSED, 405, () -> post(results, "/v1/jobs/" + ZERO_UUID));
        add(Service.RESULTS, "header/content-type-unparseable", Outcome.ACCEPTED_OR_REFUSED, () -> RawHttp.request("GET",
                results, "/v1/jobs/" + ZERO_UUID).header("X-Api-Key", apiKey).header("Content-Type", "a/;;;=\"").build());
        add(Service.RESULTS, "header/accept-unparseable", Outcome.ACCEPTED_OR_REFUSED, () -> RawHttp.request("GET",
                results, "/v1/jobs/" + ZERO_UUID).header("X-Api-Key", apiKey).header("Accept", "a/;;;=\"").build());
    }

    // ---- HTTP framing, the same for every service ----

    private void http(Service service, String base, String method, String path) {
        String prefix = "http/";
        add(service, prefix + "64KB-header", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base, path)
                .header("X-Api-Key", apiKey).header("X-Pad", "p".repeat(64 * 1024)).build());
        add(service, prefix + "2000-headers", Outcome.REFUSED_BY_HTTP, () -> {
            RawHttp.Builder b = RawHttp.request(method, base, path).header("X-Api-Key", apiKey);
            for (int i = 0; i < 2000; i++) {
                b.header("X-H" + i, "v");
            }
            return b.build();
        });
        add(service, prefix + "16KB-request-line", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "?x=" + "a".repeat(16 * 1024)).header("X-Api-Key", apiKey).build());
        add(service, prefix + "raw-nul-in-path", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "/a\0b").header("X-Api-Key", apiKey).build());
        add(service, prefix + "raw-crlf-in-path", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "/a\r\nX-Injected: 1\r\n").header("X-Api-Key", apiKey).build());
        add(service, prefix + "raw-space-in-path", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "/a b").header("X-Api-Key", apiKey).build());
        add(service, prefix + "raw-invalid-utf8-in-path", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "/\u00ff\u00fe\u00c3\u0028").header("X-Api-Key", apiKey).build());
        add(service, prefix + "raw-dot-segments", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path + "/../../../../etc/passwd").header("X-Api-Key", apiKey).build());
        add(service, prefix + "header-without-colon", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path).header("X-Api-Key", apiKey).header("NoColonHere\r\nX-Other", "v").build());
        add(service, prefix + "header-name-with-space", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base,
                path).header("X-Api-Key", apiKey).header("Bad Name", "v").build());
        add(service, prefix + "obs-fold", Outcome.REFUSED_BY_HTTP, () -> RawHttp.request(method, base, path)
                .header("X-Api-Key", apiKey).header("X-Folded", "a\r\n  b").build());
    }

    // ---- the engine ----

    private void engineImages(List<Image> images) {
        for (Image image : images) {
            Outcome outcome = image.undecodable() ? Outcome.REFUSED : Outcome.ACCEPTED_OR_REFUSED;
            add(Service.ENGINE, "image/" + image.name(), outcome, () -> EngineSigner.signed(engine, "DetectLabels",
                    imageRequest(image.bytes())).build());
        }
        for (Image bomb : images.stream().filter(i -> i.name().startsWith("bomb/")).toList()) {
            for (String operation : List.of("DetectFaces", "DetectText")) {
                add(Service.ENGINE, "image-" + operation + "/" + bomb.name(), Outcome.REFUSED,
                        () -> EngineSigner.signed(engine, operation, imageRequest(bomb.bytes())).build());
            }
            add(Service.ENGINE, "image-CompareFaces/" + bomb.name(), Outcome.REFUSED, () -> EngineSigner.signed(engine,
                    "CompareFaces", ("{\"SourceImage\":{\"Bytes\":\"" + base64(bomb.bytes())
                            + "\"},\"TargetImage\":{\"Bytes\":\"" + base64(HostileImages.jpeg(96, 96)) + "\"}}")
                            .getBytes(StandardCharsets.US_ASCII)).build());
        }
    }

    private void engineRequests() {
        byte[] valid = imageRequest(HostileImages.jpeg(96, 96));
        add(Service.ENGINE, "auth/unsigned", Outcome.REFUSED, () -> RawHttp.request("POST", engine, "/")
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "RekognitionService.DetectLabels").body(valid).build());
        add(Service.ENGINE, "auth/garbage-authorization", Outcome.REFUSED, () -> RawHttp.request("POST", engine, "/")
                .header("Content-Type", "application/x-amz-json-1.1").header("Authorization", "AWS4-HMAC-SHA256 \u00ff,,=")
                .header("X-Amz-Target", "RekognitionService.DetectLabels").body(valid).build());
        add(Service.ENGINE, "auth/wrong-secret", Outcome.REFUSED,
                () -> EngineSigner.signed(engine, "DetectLabels", valid, EngineSigner.ACCESS_KEY, "not-the-secret").build());
        add(Service.ENGINE, "auth/unknown-access-key", Outcome.REFUSED,
                () -> EngineSigner.signed(engine, "DetectLabels", valid, "AKIDNOBODY", "x").build());
        add(Service.ENGINE, "auth/body-changed-after-signing", Outcome.REFUSED,
                () -> EngineSigner.signed(engine, "DetectLabels", valid).body(imageRequest(HostileImages.png(64, 64)))
                        .build());
        add(Service.ENGINE, "target/missing", Outcome.REFUSED, () -> RawHttp.request("POST", engine, "/")
                .header("Content-Type", "application/x-amz-json-1.1").body(valid).build());
        add(Service.ENGINE, "target/nul", Outcome.REFUSED_BY_HTTP, 400,
                () -> EngineSigner.signed(engine, "DetectLabels\0", valid).build());
        for (String operation : List.of("DropTables", "../../etc/passwd", "DetectLabels\u00ff")) {
            add(Service.ENGINE, "target/" + RawHttp.printable(operation, 30), Outcome.REFUSED,
                    () -> EngineSigner.signed(engine, operation, valid).build());
        }
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("truncated", "{\"Image\":");
        bodies.put("array", "[]");
        bodies.put("string", "\"x\"");
        bodies.put("number", "42");
        bodies.put("null", "null");
        bodies.put("empty-object", "{}");
        bodies.put("image-is-string", "{\"Image\":\"x\"}");
        bodies.put("image-empty", "{\"Image\":{}}");
        bodies.put("bytes-is-number", "{\"Image\":{\"Bytes\":123}}");
        bodies.put("bytes-is-array", "{\"Image\":{\"Bytes\":[1,2,3]}}");
        bodies.put("bytes-not-base64", "{\"Image\":{\"Bytes\":\"!!!not*base64***\"}}");
        bodies.put("bytes-base64-bad-padding", "{\"Image\":{\"Bytes\":\"/9j/4A=\"}}");
        bodies.put("bytes-nul-and-unicode", "{\"Image\":{\"Bytes\":\"/9j/\\u0000\\u202e\u00ff\"}}");
        bodies.put("bytes-empty", "{\"Image\":{\"Bytes\":\"\"}}");
        bodies.put("bytes-and-s3object", "{\"Image\":{\"Bytes\":\"" + base64(HostileImages.jpeg(32, 32))
                + "\",\"S3Object\":{\"Bucket\":\"images\",\"Name\":\"x.jpg\"}}}");
        bodies.put("s3-traversal", "{\"Image\":{\"S3Object\":{\"Bucket\":\"../../etc\",\"Name\":\"../passwd\"}}}");
        bodies.put("s3-nul", "{\"Image\":{\"S3Object\":{\"Bucket\":\"images\",\"Name\":\"a\\u0000b\"}}}");
        bodies.put("s3-version-crlf", "{\"Image\":{\"S3Object\":{\"Bucket\":\"images\",\"Name\":\"x\",\"Version\":"
                + "\"1\\r\\nX: y\"}}}");
        String image = "\"Image\":{\"Bytes\":\"" + base64(HostileImages.jpeg(32, 32)) + "\"}";
        bodies.put("maxlabels-text", "{" + image + ",\"MaxLabels\":\"abc\"}");
        bodies.put("maxlabels-negative", "{" + image + ",\"MaxLabels\":-1}");
        bodies.put("maxlabels-1e99", "{" + image + ",\"MaxLabels\":1e99}");
        bodies.put("minconfidence-1e999", "{" + image + ",\"MinConfidence\":1e999}");
        bodies.put("minconfidence-NaN-token", "{" + image + ",\"MinConfidence\":NaN}");
        bodies.put("minconfidence-object", "{" + image + ",\"MinConfidence\":{}}");
        bodies.put("features-unknown", "{" + image + ",\"Features\":[\"NOPE\"]}");
        bodies.put("nesting-50000", "[".repeat(50_000));
        bodies.put("invalid-utf8", "{\"Image\":{\"S3Object\":{\"Bucket\":\"images\",\"Name\":\"\u00ff\u00fe\u00c3\u0028\"}}}");
        bodies.put("duplicate-keys", "{" + image + "," + image.replace(base64(HostileImages.jpeg(32, 32)), "AAAA") + "}");
        bodies.forEach((name, json) -> add(Service.ENGINE, "json/" + name, Outcome.REFUSED,
                () -> EngineSigner.signed(engine, "DetectLabels", json.getBytes(StandardCharsets.ISO_8859_1)).build()));
        add(Service.ENGINE, "json/DetectText-filters-wrong-type", Outcome.REFUSED, () -> EngineSigner.signed(engine,
                "DetectText", ("{" + image + ",\"Filters\":\"all\"}").getBytes(StandardCharsets.US_ASCII)).build());
        add(Service.ENGINE, "json/DetectFaces-attributes-unknown", Outcome.REFUSED, () -> EngineSigner.signed(engine,
                "DetectFaces", ("{" + image + ",\"Attributes\":[\"EVERYTHING\"]}").getBytes(StandardCharsets.US_ASCII))
                .build());
        add(Service.ENGINE, "json/CompareFaces-threshold-text", Outcome.REFUSED, () -> EngineSigner.signed(engine,
                "CompareFaces", ("{\"SourceImage\":{\"Bytes\":\"AAAA\"},\"TargetImage\":{\"Bytes\":\"AAAA\"},"
                        + "\"SimilarityThreshold\":\"high\"}").getBytes(StandardCharsets.US_ASCII)).build());
        add(Service.ENGINE, "json/SearchFacesByImage-collection-traversal", Outcome.REFUSED,
                () -> EngineSigner.signed(engine, "SearchFacesByImage", ("{\"CollectionId\":\"../../../etc\"," + image
                        + "}").getBytes(StandardCharsets.US_ASCII)).build());
        add(Service.ENGINE, "json/CreateCollection-nul", Outcome.REFUSED, () -> EngineSigner.signed(engine,
                "CreateCollection", "{\"CollectionId\":\"a\\u0000b\"}".getBytes(StandardCharsets.US_ASCII)).build());
        add(Service.ENGINE, "body/declares-200MB", Outcome.REFUSED, () -> EngineSigner.signed(engine, "DetectLabels",
                valid).noContentLength().header("Content-Length", "200000000").build());
        add(Service.ENGINE, "body/16MB-chunked", Outcome.REFUSED_BY_HTTP, () -> {
            byte[] big = ("{\"Image\":{\"Bytes\":\"" + "A".repeat(16 * 1024 * 1024) + "\"}}")
                    .getBytes(StandardCharsets.US_ASCII);
            return EngineSigner.signed(engine, "DetectLabels", big).chunked().build();
        });
        add(Service.ENGINE, "body/6MB-image-bytes", Outcome.REFUSED, () -> EngineSigner.signed(engine, "DetectLabels",
                imageRequest(HostileImages.jpegMagicPadded(6 * 1024 * 1024))).build());
        http(Service.ENGINE, engine, "POST", "/");
    }

    // ---- helpers ----

    private void add(Service service, String name, Outcome outcome, Supplier<RawHttp.Request> request) {
        add(service, name, outcome, 0, request);
    }

    private void add(Service service, String name, Outcome outcome, int status, Supplier<RawHttp.Request> request) {
        cases.add(new Case(service, name, outcome, status, request));
    }

    private RawHttp.Builder upload(String contentType) {
        return RawHttp.request("POST", ingest, "/v1/images").header("X-Api-Key", apiKey)
                .header("Content-Type", contentType);
    }

    private RawHttp.Request post(String base, String path) {
        return RawHttp.request("POST", base, path).header("X-Api-Key", apiKey).build();
    }

    private RawHttp.Request get(String base, String path) {
        return RawHttp.request("GET", base, path).header("X-Api-Key", apiKey).build();
    }

    private RawHttp.Request multipart(byte[]... parts) {
        return multipartRequest("b0undary", multipartBody("b0undary", parts));
    }

    private RawHttp.Request multipartRequest(String boundary, byte[] body) {
        return RawHttp.request("POST", ingest, "/v1/images").header("X-Api-Key", apiKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).body(body).build();
    }

    /** One part (without boundary lines); a file part when {@code fileName} is given. Names taken as ISO-8859-1. */
    private static byte[] part(String name, String fileName, String contentType, byte[] content) {
        StringBuilder head = new StringBuilder("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            head.append("; filename=\"").append(fileName).append('"');
        }
        head.append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("\r\n");
        return HostileImages.concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), content);
    }

    private static byte[] multipartBody(String boundary, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] imageRequest(byte[] image) {
        return ("{\"Image\":{\"Bytes\":\"" + base64(image) + "\"},\"MaxLabels\":10}").getBytes(StandardCharsets.US_ASCII);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String cursor(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
