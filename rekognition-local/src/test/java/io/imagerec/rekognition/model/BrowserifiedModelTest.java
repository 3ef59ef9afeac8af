package io.imagerec.rekognition.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BrowserifiedModelTest {

    @Test
    void minifiedObjectLiteralBecomesJson() throws Exception {
        String js = "function(a,n,i){n.exports={layers:[{name:\"conv2d_1\",trainable:!1,center:!0,momentum:.99,"
                + "min:-.17,scale:1e-3,seed:null,label:\"a:b!0 .5\",shape:[null,299,3]}]}},{}]},{},[1])(1)});";
        String json = BrowserifiedModel.literalToJson(js, js.indexOf("exports=") + "exports=".length());
        JsonNode layer = new ObjectMapper().readTree(json).path("layers").get(0);
        assertEquals("conv2d_1", layer.path("name").asText());
        assertEquals(false, layer.path("trainable").asBoolean(true));
        assertEquals(true, layer.path("center").asBoolean(false));
        assertEquals(0.99, layer.path("momentum").asDouble(), 1e-9);
        assertEquals(-0.17, layer.path("min").asDouble(), 1e-9);
        assertEquals(1e-3, layer.path("scale").asDouble(), 1e-12);
        assertEquals(true, layer.path("seed").isNull());
        assertEquals("a:b!0 .5", layer.path("label").asText(), "strings are copied as they are");
        assertEquals(3, layer.path("shape").size());
    }
}
