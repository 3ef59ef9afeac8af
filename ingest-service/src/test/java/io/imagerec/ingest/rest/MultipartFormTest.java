package io.imagerec.ingest.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.imagerec.ingest.service.IngestException;

/** The strict multipart/form-data reading of uploads: what parses, and what is 400 INVALID_MULTIPART. */
class MultipartFormTest {

    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String part(String name, String fileName, String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"") + "\r\n"
                + (fileName == null ? "" : "Content-Type: image/jpeg\r\n") + "\r\n" + content + "\r\n";
    }

    private static void invalid(String contentType, String body) {
        IngestException e = assertThrows(IngestException.class, () -> MultipartForm.parse(contentType, bytes(body)));
        assertEquals(400, e.status());
        assertEquals("INVALID_MULTIPART", e.code());
    }

    @Test
    void fieldsAndFilesAreReadAsSent() {
        MultipartForm form = MultipartForm.parse("multipart/form-data; boundary=\"XyZ\"",
                bytes("preamble\r\n" + part("features", null, "LABELS,TEXT") + part("file", "a.jpg", "\u00ff\u00d8\r\n--Xy")
                        + "--XyZ--\r\nepilogue"));
        assertEquals("LABELS,TEXT", form.text("features"));
        MultipartForm.Part file = form.part("file");
        assertEquals("a.jpg", file.fileName());
        assertEquals(8, file.content().remaining()); // the CRLF--Xy inside is not the boundary
        assertEquals((byte) 0xff, file.content().get(0));
        assertNull(form.part("minConfidence"));
        assertEquals("", MultipartForm.parse(TYPE, bytes(part("file", "e.jpg", "") + "--XyZ--")).text("file"));
    }

    @Test
    void malformedBodiesAreInvalidMultipart() {
        invalid("multipart/form-data", part("file", "a.jpg", "x") + "--XyZ--");
        invalid("multipart/form-data; boundary=" + "b".repeat(71), "");
        invalid(TYPE, "no boundary here");
        invalid("multipart/form-data; boundary=Other", part("file", "a.jpg", "x") + "--XyZ--");
        invalid(TYPE, part("file", "a.jpg", "x"));
        invalid(TYPE, "--XyZ\r\n\r\nno headers\r\n--XyZ--");
        invalid(TYPE, "--XyZ\r\nContent-Type: image/jpeg\r\n\r\nx\r\n--XyZ--");
        invalid(TYPE, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--");
        invalid(TYPE, "--XyZ\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nx\r\n--XyZ--");
        invalid(TYPE, "--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--");
        invalid(TYPE, "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + "a".repeat(9000)
                + "\"\r\n\r\nx\r\n--XyZ--");
        invalid(TYPE, part("file", "a.jpg", "x") + part("file", "b.jpg", "y") + "--XyZ--");
        invalid(TYPE, part("features", null, "L".repeat(MultipartForm.MAX_FIELD_BYTES + 1)) + "--XyZ--");
        invalid(TYPE, "--XyZ junk\r\n" + part("file", "a.jpg", "x").substring(7) + "--XyZ--");
    }

    @Test
    void moreThanAHundredPartsAreRefused() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= MultipartForm.MAX_PARTS; i++) {
            body.append(part("f" + i, null, "x"));
        }
        invalid(TYPE, body + "--XyZ--");
        body.setLength(0);
        for (int i = 0; i < MultipartForm.MAX_PARTS; i++) {
            body.append(part("f" + i, null, "x"));
        }
        assertEquals("x", MultipartForm.parse(TYPE, bytes(body + "--XyZ--")).text("f99"));
    }
}
