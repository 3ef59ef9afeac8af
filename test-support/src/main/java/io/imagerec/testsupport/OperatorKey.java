package io.imagerec.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/** Makes every rest-assured request of a test send the operator's API key ({@link TestCloud#OPERATOR_KEY}). */
public final class OperatorKey {

    private OperatorKey() {
    }

    public static void use() {
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("X-Api-Key", TestCloud.OPERATOR_KEY).build();
    }
}
