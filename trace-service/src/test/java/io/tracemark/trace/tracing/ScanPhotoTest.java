package io.tracemark.trace.tracing;

import static io.tracemark.trace.Api.anonymous;
import static io.tracemark.trace.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tracemark.marker.simulator.EtchedImages;

/**
 * Scan by photo: a phone's photo of an etched QR code or a printed Data Matrix leads to the code;
 * a photo with no code, a file that is no image and one over the size limit are each explained,
 * and a photo records no scan (the code's page does, when it is opened).
 */
@QuarkusTest
class ScanPhotoTest {

    @TestHTTPResource("/")
    URL base;

    private static RequestSpecification upload(String accept, byte[] file, String mimeType) {
        return anonymous().contentType(ContentType.MULTIPART).accept(accept).header("Accept-Language", "en")
                .multiPart("photo", "photo.jpg", file, mimeType);
    }

    /** The item's code etched with wear, then photographed turned and small on a box. */
    static byte[] photoOfEtchedQr(String uri, long seed) {
        var etched = new EtchedImages().render(uri, EtchedImages.Degradation.LIGHT, seed);
        return Photos.photographed(etched, 23, 330, seed);
    }

    @Test
    void aPhotographedEtchedQrCodeLeadsToTheCodeAndRecordsNoScan() {
        Story.Batch batch = Story.batch(1);
        String uri = batch.uris().get(0);
        byte[] photo = photoOfEtchedQr(uri, 7);
        upload("application/json", photo, "image/jpeg").post("/scan/photo").then().statusCode(200)
                .body("text", equalTo(uri))
                .body("gtin", equalTo(batch.gtin()))
                .body("serial", equalTo(batch.serials().get(0)))
                .body("trace", endsWith(ScanPageTest.path(uri)));
        upload(ScanPageTest.BROWSER_ACCEPT, photo, "image/jpeg").redirects().follow(false).post("/scan/photo").then()
                .statusCode(303)
                .header("Location", endsWith(ScanPageTest.path(uri)));
        assertEquals(List.of(), TraceResolverTest.scans(batch.serials().get(0)));
    }

    @Test
    void aPhotographedGs1DataMatrixLeadsToTheCode() {
        Story.Batch batch = Story.batch(1);
        String serial = batch.serials().get(0);
        byte[] symbol = asAdmin().queryParam("type", "datamatrix").queryParam("size", 300)
                .get("/api/codes/" + serial + "/symbol").then().statusCode(200).extract().asByteArray();
        byte[] photo = Photos.photographed(Photos.read(symbol), -12, 260, 11);
        upload("application/json", photo, "image/jpeg").post("/scan/photo").then().statusCode(200)
                .body("gtin", equalTo(batch.gtin()))
                .body("serial", equalTo(serial))
                .body("trace", endsWith("/01/" + batch.gtin() + "/21/" + serial));
    }

    @Test
    void aPhotoWithNoCodeIsExplainedAndRecordsNothing() {
        Story.Batch batch = Story.batch(1);
        byte[] photo = Photos.withoutCode(3);
        upload("application/json", photo, "image/jpeg").post("/scan/photo").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tracemark:problem:validation-failed"))
                .body("violations[0].field", equalTo("photo"))
                .body("detail", containsString("no QR code or Data Matrix could be read"));
        upload(ScanPageTest.BROWSER_ACCEPT, photo, "image/jpeg").post("/scan/photo").then().statusCode(400)
                .contentType(startsWith("text/html"))
                .body(containsString("No code could be read in this photo"))
                .body(containsString("fill the picture with the code"))
                .body(containsString("<input id=\"photo\" name=\"photo\" type=\"file\" accept=\"image/*\""));
        assertEquals(List.of(), TraceResolverTest.scans(batch.serials().get(0)));
    }

    @Test
    void aFileThatIsNoImageIsUnsupported() {
        byte[] text = "this is a shopping list, not a photo".getBytes(StandardCharsets.UTF_8);
        upload("application/json", text, "image/jpeg").post("/scan/photo").then().statusCode(415)
                .body("type", equalTo("urn:tracemark:problem:unsupported-media-type"))
                .body("detail", containsString("JPEG or PNG"));
        upload(ScanPageTest.BROWSER_ACCEPT, text, "text/plain").post("/scan/photo").then().statusCode(415)
                .contentType(startsWith("text/html"))
                .body(containsString("This file is not a photo we can read"));
    }

    @Test
    void aPhotoOverTheSizeLimitIsRefusedNamingTheLimit() {
        byte[] huge = new byte[8 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) 0x55);
        upload("application/json", huge, "image/jpeg").post("/scan/photo").then().statusCode(413)
                .body("type", equalTo("urn:tracemark:problem:payload-too-large"))
                .body("detail", containsString("at most 8388608"));
        upload(ScanPageTest.BROWSER_ACCEPT, huge, "image/jpeg").post("/scan/photo").then().statusCode(413)
                .contentType(startsWith("text/html"))
                .body(containsString("This photo is too large"))
                .body(containsString("up to 8 MB"));
    }

    @Test
    void aBrowsersUploadOverTheHttpLayersOwnLimitIsStillExplained() throws Exception {
        // Browsers send a form with its Content-Length, which is refused before the body is read;
        // REST Assured streams multipart bodies in chunks, so this test writes the form itself.
        String boundary = "----tracemark-photo-boundary";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"big.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.write(new byte[11 * 1024 * 1024]);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve("/scan/photo"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", ScanPageTest.BROWSER_ACCEPT).header("Accept-Language", "zh-CN")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("照片太大"), response.body());
    }

    @Test
    void aCodeOfAnotherServiceIsNotTakenForOneOfOursAndTheReaderIsToldSo() {
        Story.Batch batch = Story.batch(1);
        String foreign = "https://id.example.org/01/" + batch.gtin() + "/21/" + batch.serials().get(0);
        byte[] photo = photoOfEtchedQr(foreign, 5);
        upload("application/json", photo, "image/jpeg").post("/scan/photo").then()
                .statusCode(400)
                .body("violations[0].field", equalTo("photo"))
                .body("detail", containsString("not a code of this service"));
        // Any QR code a phone may meet: another site's address is read, and said to be someone else's.
        byte[] website = photoOfEtchedQr("https://www.example.org/menu?table=4", 9);
        for (byte[] read : List.of(photo, website)) {
            upload(ScanPageTest.BROWSER_ACCEPT, read, "image/jpeg").post("/scan/photo").then().statusCode(400)
                    .contentType(startsWith("text/html"))
                    .body(containsString("This is not one of our codes"))
                    .body(containsString("but not one issued by this brand"))
                    .body(not(containsString("No code could be read")))
                    .body(containsString("<input id=\"photo\" name=\"photo\" type=\"file\" accept=\"image/*\""));
        }
        anonymous().contentType(ContentType.MULTIPART).accept(ScanPageTest.BROWSER_ACCEPT)
                .header("Accept-Language", "zh-CN").multiPart("photo", "photo.jpg", website, "image/jpeg")
                .post("/scan/photo").then().statusCode(400).body(containsString("这不是我们的代码"));
        assertEquals(List.of(), TraceResolverTest.scans(batch.serials().get(0)));
    }

    @Test
    void aFormWithoutThePhotoIsRefusedNamingTheField() {
        anonymous().contentType(ContentType.MULTIPART).accept("application/json").multiPart("note", "hello")
                .post("/scan/photo").then().statusCode(400)
                .body("violations[0].field", equalTo("photo"));
    }
}
