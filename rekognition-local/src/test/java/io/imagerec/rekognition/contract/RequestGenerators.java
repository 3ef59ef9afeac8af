package io.imagerec.rekognition.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.services.rekognition.model.AssociateFacesResponse;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.DisassociateFacesResponse;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.FaceRecord;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.IndexFacesResponse;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.ListCollectionsResponse;
import software.amazon.awssdk.services.rekognition.model.ListFacesResponse;
import software.amazon.awssdk.services.rekognition.model.ListUsersResponse;
import software.amazon.awssdk.services.rekognition.model.SearchUsersByImageResponse;
import software.amazon.awssdk.services.rekognition.model.UnsuccessfulFaceAssociation;
import software.amazon.awssdk.services.rekognition.model.UnsuccessfulFaceDisassociation;
import software.amazon.awssdk.services.rekognition.model.Point;
import software.amazon.awssdk.services.rekognition.model.RegionOfInterest;

/**
 * For every operation the engine answers, the requests the contract test sends: built by the AWS SDK
 * from combinations of what the service model allows (every enum value, the edges of every range, the
 * paging tokens, {@code Bytes} and {@code S3Object}), and invalid ones for the errors. Enum values and
 * bounds are read from the model, so a newer model's values are sent too. Adding an operation to the
 * engine means adding its entry to {@link #byOperation()}; the contract test fails until then.
 */
final class RequestGenerators {

    private final ContractCalls calls;
    private final ServiceModel model;
    /** The collection the face operations share, created on first use; its faces' ids. */
    private String collection;
    private final List<String> faceIds = new ArrayList<>();

    /** {@code calls} may be null to only list the operations. */
    RequestGenerators(ContractCalls calls, ServiceModel model) {
        this.calls = calls;
        this.model = model;
    }

    /** Operation name → the generator that sends its requests, in the order they run. */
    Map<String, Runnable> byOperation() {
        Map<String, Runnable> all = new LinkedHashMap<>();
        all.put("DetectLabels", this::detectLabels);
        all.put("DetectFaces", this::detectFaces);
        all.put("CompareFaces", this::compareFaces);
        all.put("DetectText", this::detectText);
        all.put("DetectModerationLabels", this::detectModerationLabels);
        all.put("CreateCollection", this::createCollection);
        all.put("DescribeCollection", this::describeCollection);
        all.put("ListCollections", this::listCollections);
        all.put("IndexFaces", this::indexFaces);
        all.put("ListFaces", this::listFaces);
        all.put("SearchFaces", this::searchFaces);
        all.put("SearchFacesByImage", this::searchFacesByImage);
        all.put("DeleteFaces", this::deleteFaces);
        all.put("CreateUser", this::createUser);
        all.put("ListUsers", this::listUsers);
        all.put("AssociateFaces", this::associateFaces);
        all.put("SearchUsers", this::searchUsers);
        all.put("SearchUsersByImage", this::searchUsersByImage);
        all.put("DisassociateFaces", this::disassociateFaces);
        all.put("DeleteUser", this::deleteUser);
        all.put("DeleteCollection", this::deleteCollection);
        return all;
    }

    /**
     * FaceDetail members no model of the engine estimates, left out even when asked for: documented in
     * rekognition-local/README.md (DetectFaces, and where it differs from Amazon Rekognition).
     */
    static final Set<String> NOT_ESTIMATED = Set.of("Beard", "Mustache", "Eyeglasses", "Sunglasses", "FaceOccluded",
            "EyeDirection");

    /** Operations that can only answer successfully with a face in a collection (none without the samples). */
    static final List<String> NEED_SAMPLE_FACES = List.of("SearchFaces", "CompareFaces", "SearchFacesByImage");

    private Image photo() {
        return calls.hasSamples() ? calls.sample("objects/dog.jpg", 320) : calls.plain();
    }

    private Image face() {
        return calls.hasSamples() ? calls.sample("faces/obama.jpg", 320) : calls.plain();
    }

    private Image group() {
        return calls.hasSamples() ? calls.sample("faces/obama_and_biden.jpg", 480) : calls.plain();
    }

    private void detectLabels() {
        Image photo = photo();
        String op = "DetectLabels ";
        calls.ok(op + "defaults", () -> calls.client.detectLabels(r -> r.image(photo)));
        calls.ok(op + "plain image", () -> calls.client.detectLabels(r -> r.image(calls.plain())));
        for (int max : new int[] {0, 1, 1000}) {
            calls.ok(op + "MaxLabels " + max, () -> calls.client.detectLabels(r -> r.image(photo).maxLabels(max)),
                    r -> atMost(max, r.labels().size(), "Labels"));
        }
        for (float min : new float[] {0f, 55f, 99.5f, 100f}) {
            calls.ok(op + "MinConfidence " + min, () -> calls.client.detectLabels(r -> r.image(photo).minConfidence(min)));
        }
        List<String> features = model.enumValues("DetectLabelsFeatureName");
        for (List<String> set : List.of(List.<String>of(), List.of(features.get(0)), List.of(features.get(1)), features)) {
            calls.ok(op + "Features " + set, () -> calls.client.detectLabels(r -> r.image(photo).featuresWithStrings(set)));
        }
        long maxColors = model.bound("DetectLabelsMaxDominantColors", "max");
        for (long n : new long[] {model.bound("DetectLabelsMaxDominantColors", "min"), 1, 10, 12, 13, maxColors}) {
            calls.ok(op + "MaxDominantColors " + n, () -> calls.client.detectLabels(r -> r.image(photo)
                    .featuresWithStrings("GENERAL_LABELS", "IMAGE_PROPERTIES")
                    .settings(s -> s.imageProperties(p -> p.maxDominantColors((int) n)))),
                    r -> r.imageProperties() == null ? "no ImageProperties" : atMost(n, r.imageProperties().dominantColors().size(), "DominantColors"));
        }
        calls.ok(op + "LabelInclusionFilters", () -> calls.client.detectLabels(r -> r.image(photo)
                .settings(s -> s.generalLabels(g -> g.labelInclusionFilters("Dog", "Bicycle")))),
                r -> labelsWhere(r, l -> !List.of("Dog", "Bicycle").contains(l.name()), "not included"));
        calls.ok(op + "LabelExclusionFilters", () -> calls.client.detectLabels(r -> r.image(photo)
                .settings(s -> s.generalLabels(g -> g.labelExclusionFilters("Dog")))),
                r -> labelsWhere(r, l -> l.name().equals("Dog"), "excluded"));
        calls.ok(op + "LabelCategoryInclusionFilters", () -> calls.client.detectLabels(r -> r.image(photo)
                .settings(s -> s.generalLabels(g -> g.labelCategoryInclusionFilters("Animals and Pets")))),
                r -> labelsWhere(r, l -> l.categories().stream().noneMatch(c -> c.name().equals("Animals and Pets")),
                        "outside the included category"));
        calls.ok(op + "LabelCategoryExclusionFilters", () -> calls.client.detectLabels(r -> r.image(photo)
                .settings(s -> s.generalLabels(g -> g.labelCategoryExclusionFilters("Animals and Pets")))),
                r -> labelsWhere(r, l -> l.categories().stream().anyMatch(c -> c.name().equals("Animals and Pets")),
                        "in the excluded category"));
        calls.ok(op + "S3Object", () -> calls.client.detectLabels(r -> r.image(calls.inS3("labels.jpg",
                calls.hasSamples() ? calls.sampleBytes("objects/dog.jpg", 320) : io.imagerec.testsupport.GeneratedImages.jpeg(160, 120)))));
        // invalid
        calls.fails(op + "MinConfidence 101", "InvalidParameterException", () -> calls.client.detectLabels(r -> r.image(photo).minConfidence(101f)));
        calls.fails(op + "MaxLabels -1", "InvalidParameterException", () -> calls.client.detectLabels(r -> r.image(photo).maxLabels(-1)));
        calls.fails(op + "MaxDominantColors over max", "InvalidParameterException", () -> calls.client.detectLabels(r -> r.image(photo)
                .featuresWithStrings("IMAGE_PROPERTIES").settings(s -> s.imageProperties(p -> p.maxDominantColors((int) maxColors + 1)))));
        calls.fails(op + "Features unknown", "InvalidParameterException", () -> calls.client.detectLabels(r -> r.image(photo).featuresWithStrings("COLOURS")));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.detectLabels(r -> r.image(calls.notAnImage())));
        calls.fails(op + "missing S3 object", "InvalidS3ObjectException", () -> calls.client.detectLabels(r -> r.image(calls.s3("images", "contract/missing.jpg"))));
        calls.send(op + "no image", () -> calls.client.detectLabels(r -> r.image(Image.builder().build())));
    }

    private void detectFaces() {
        Image face = face();
        String op = "DetectFaces ";
        calls.ok(op + "defaults", () -> calls.client.detectFaces(r -> r.image(face)));
        calls.ok(op + "plain image", () -> calls.client.detectFaces(r -> r.image(calls.plain()).attributesWithStrings("ALL")));
        for (String attribute : model.enumValues("Attribute")) {
            calls.ok(op + "Attributes [" + attribute + "]",
                    () -> calls.client.detectFaces(r -> r.image(face).attributesWithStrings(attribute)),
                    r -> missingAttributes(r.faceDetails(), List.of(attribute)));
        }
        calls.ok(op + "Attributes [DEFAULT, ALL]", () -> calls.client.detectFaces(r -> r.image(face).attributesWithStrings("DEFAULT", "ALL")));
        calls.ok(op + "Attributes [AGE_RANGE, EMOTIONS, SMILE]", () -> calls.client.detectFaces(r -> r.image(face)
                .attributesWithStrings("AGE_RANGE", "EMOTIONS", "SMILE")),
                r -> missingAttributes(r.faceDetails(), List.of("AGE_RANGE", "EMOTIONS", "SMILE")));
        calls.ok(op + "group, ALL", () -> calls.client.detectFaces(r -> r.image(group()).attributesWithStrings("ALL")),
                r -> missingAttributes(r.faceDetails(), List.of("ALL")));
        calls.ok(op + "S3Object", () -> calls.client.detectFaces(r -> r.image(calls.inS3("face.jpg",
                calls.hasSamples() ? calls.sampleBytes("faces/obama.jpg", 320) : io.imagerec.testsupport.GeneratedImages.jpeg(160, 120)))));
        calls.fails(op + "Attributes unknown", "InvalidParameterException", () -> calls.client.detectFaces(r -> r.image(face).attributesWithStrings("HAIR")));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.detectFaces(r -> r.image(calls.notAnImage())));
    }

    private void compareFaces() {
        Image face = face();
        Image group = group();
        String op = "CompareFaces ";
        withFace(op + "defaults", () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(group)));
        for (float t : new float[] {0f, 80f, 100f}) {
            withFace(op + "SimilarityThreshold " + t,
                    () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(group).similarityThreshold(t)));
        }
        for (String q : model.enumValues("QualityFilter")) {
            withFace(op + "QualityFilter " + q,
                    () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(group).qualityFilter(q)));
        }
        withFace(op + "target without faces", () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(calls.plain())));
        calls.fails(op + "source without a face", "InvalidParameterException", () -> calls.client.compareFaces(r -> r.sourceImage(calls.plain()).targetImage(group)));
        calls.fails(op + "SimilarityThreshold 101", "InvalidParameterException", () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(group).similarityThreshold(101f)));
        calls.fails(op + "QualityFilter unknown", "InvalidParameterException", () -> calls.client.compareFaces(r -> r.sourceImage(face).targetImage(group).qualityFilter("BEST")));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.compareFaces(r -> r.sourceImage(calls.notAnImage()).targetImage(group)));
    }

    /**
     * A request that needs a face in its image: answered with the sample faces; without them the image
     * has none, which Rekognition refuses with InvalidParameterException.
     */
    private <T> void withFace(String label, java.util.function.Supplier<T> call, java.util.function.Function<T, String> problem) {
        if (calls.hasSamples()) {
            calls.ok(label, call, problem);
        } else {
            calls.fails(label + " (no face without the samples)", "InvalidParameterException", call);
        }
    }

    private <T> void withFace(String label, java.util.function.Supplier<T> call) {
        withFace(label, call, r -> null);
    }

    private void detectText() {
        Image text = calls.text();
        String op = "DetectText ";
        calls.ok(op + "defaults", () -> calls.client.detectText(r -> r.image(text)));
        calls.ok(op + "plain image", () -> calls.client.detectText(r -> r.image(calls.plain())));
        for (float v : new float[] {0f, 1f}) {
            calls.ok(op + "WordFilter edges " + v, () -> calls.client.detectText(r -> r.image(text)
                    .filters(f -> f.wordFilter(w -> w.minConfidence(100 * v).minBoundingBoxHeight(v).minBoundingBoxWidth(v)))));
        }
        calls.ok(op + "RegionsOfInterest box", () -> calls.client.detectText(r -> r.image(text).filters(f -> f.regionsOfInterest(
                RegionOfInterest.builder().boundingBox(BoundingBox.builder().left(0f).top(0f).width(0.5f).height(1f).build()).build()))));
        calls.ok(op + "RegionsOfInterest polygon", () -> calls.client.detectText(r -> r.image(text).filters(f -> f.regionsOfInterest(
                RegionOfInterest.builder().polygon(Point.builder().x(0f).y(0f).build(), Point.builder().x(1f).y(0f).build(),
                        Point.builder().x(1f).y(1f).build()).build()))));
        List<RegionOfInterest> tooMany = new ArrayList<>();
        for (long i = 0; i <= model.bound("RegionsOfInterest", "max"); i++) {
            tooMany.add(RegionOfInterest.builder().boundingBox(BoundingBox.builder().left(0f).top(0f).width(1f).height(1f).build()).build());
        }
        calls.fails(op + "too many RegionsOfInterest", "InvalidParameterException", () -> calls.client.detectText(r -> r.image(text).filters(f -> f.regionsOfInterest(tooMany))));
        calls.fails(op + "MinConfidence 101", "InvalidParameterException", () -> calls.client.detectText(r -> r.image(text)
                .filters(f -> f.wordFilter(w -> w.minConfidence(101f)))));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.detectText(r -> r.image(calls.notAnImage())));
    }

    private void detectModerationLabels() {
        Image photo = photo();
        String op = "DetectModerationLabels ";
        for (float min : new float[] {0f, 50f, 100f}) {
            calls.ok(op + "MinConfidence " + min, () -> calls.client.detectModerationLabels(r -> r.image(photo).minConfidence(min)));
        }
        calls.ok(op + "HumanLoopConfig", () -> calls.client.detectModerationLabels(r -> r.image(photo).humanLoopConfig(h -> h
                .humanLoopName("contract-loop").flowDefinitionArn("arn:aws:sagemaker:us-east-1:123456789012:flow-definition/f")
                .dataAttributes(d -> d.contentClassifiersWithStrings(model.enumValues("ContentClassifier"))))));
        calls.fails(op + "ProjectVersion unknown", "ResourceNotFoundException", () -> calls.client.detectModerationLabels(r -> r.image(photo)
                .projectVersion("arn:aws:rekognition:us-east-1:123456789012:project/p/version/v/1")));
        calls.fails(op + "ProjectVersion malformed", "InvalidParameterException", () -> calls.client.detectModerationLabels(r -> r.image(photo)
                .projectVersion("not-a-project-version-arn")));
        calls.fails(op + "HumanLoopName invalid", "InvalidParameterException", () -> calls.client.detectModerationLabels(r -> r.image(photo).humanLoopConfig(h -> h
                .humanLoopName("Not_Valid").flowDefinitionArn("arn:aws:sagemaker:us-east-1:123456789012:flow-definition/f"))));
        calls.fails(op + "MinConfidence -1", "InvalidParameterException", () -> calls.client.detectModerationLabels(r -> r.image(photo).minConfidence(-1f)));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.detectModerationLabels(r -> r.image(calls.notAnImage())));
    }

    /** The shared collection, created (and its faces indexed) on first use. */
    private String collection() {
        if (collection == null) {
            collection = "contract-" + calls.run;
            calls.ok("CreateCollection shared", () -> calls.client.createCollection(r -> r.collectionId(collection)));
            List<Image> images = calls.hasSamples()
                    ? List.of(calls.sample("faces/obama.jpg", 320), calls.sample("faces/obama2.jpg", 320), group())
                    : List.of(calls.plain());
            for (Image image : images) {
                IndexFacesResponse indexed = calls.ok("IndexFaces fixture", () -> calls.client.indexFaces(r -> r
                        .collectionId(collection).image(image).externalImageId("fixture")));
                if (indexed != null) {
                    indexed.faceRecords().stream().map(FaceRecord::face).map(Face::faceId).forEach(faceIds::add);
                }
            }
        }
        return collection;
    }

    private void createCollection() {
        String id = "contract-create-" + calls.run;
        calls.ok("CreateCollection", () -> calls.client.createCollection(r -> r.collectionId(id)));
        calls.fails("CreateCollection again", "ResourceAlreadyExistsException", () -> calls.client.createCollection(r -> r.collectionId(id)));
        calls.ok("CreateCollection with Tags", () -> calls.client.createCollection(r -> r.collectionId(id + "-tagged")
                .tags(Map.of("team", "contract"))));
        calls.fails("CreateCollection id with /", "InvalidParameterException", () -> calls.client.createCollection(r -> r.collectionId("no/slash")));
        calls.fails("CreateCollection id too long", "InvalidParameterException", () -> calls.client.createCollection(r -> r.collectionId("x".repeat(256))));
        calls.fails("CreateCollection empty id", "InvalidParameterException", () -> calls.client.createCollection(r -> r.collectionId("")));
        calls.ok("DeleteCollection created", () -> calls.client.deleteCollection(r -> r.collectionId(id)));
        calls.ok("DeleteCollection tagged", () -> calls.client.deleteCollection(r -> r.collectionId(id + "-tagged")));
    }

    private void describeCollection() {
        String c = collection();
        calls.ok("DescribeCollection", () -> calls.client.describeCollection(r -> r.collectionId(c)));
        calls.fails("DescribeCollection missing", "ResourceNotFoundException", () -> calls.client.describeCollection(r -> r.collectionId("contract-missing-" + calls.run)));
        calls.fails("DescribeCollection invalid id", "InvalidParameterException", () -> calls.client.describeCollection(r -> r.collectionId("bad id!")));
    }

    private void listCollections() {
        collection();
        // A second collection, so that MaxResults 1 leaves a page 2.
        String second = "contract-list-" + calls.run;
        calls.ok("CreateCollection for paging", () -> calls.client.createCollection(r -> r.collectionId(second)));
        calls.ok("ListCollections defaults", () -> calls.client.listCollections(r -> { }));
        for (long max : new long[] {model.bound("PageSize", "min"), 1, model.bound("PageSize", "max")}) {
            calls.ok("ListCollections MaxResults " + max, () -> calls.client.listCollections(r -> r.maxResults((int) max)),
                    r -> atMost(max, r.collectionIds().size(), "CollectionIds"));
        }
        ListCollectionsResponse first = calls.ok("ListCollections page 1", () -> calls.client.listCollections(r -> r.maxResults(1)));
        if (first == null || first.nextToken() == null) {
            calls.breach("ListCollections MaxResults 1 over two collections gave no NextToken");
        } else {
            calls.ok("ListCollections page 2", () -> calls.client.listCollections(r -> r.maxResults(1).nextToken(first.nextToken())));
        }
        calls.fails("ListCollections NextToken invalid", "InvalidPaginationTokenException", () -> calls.client.listCollections(r -> r.nextToken("not a token!")));
        calls.send("ListCollections NextToken too long", () -> calls.client.listCollections(r -> r.nextToken("A".repeat(256))));
        calls.fails("ListCollections MaxResults over max", "InvalidParameterException", () -> calls.client.listCollections(r -> r.maxResults(4097)));
        calls.ok("DeleteCollection for paging", () -> calls.client.deleteCollection(r -> r.collectionId(second)));
    }

    private void indexFaces() {
        String c = collection();
        Image face = face();
        String op = "IndexFaces ";
        for (String q : model.enumValues("QualityFilter")) {
            calls.ok(op + "QualityFilter " + q, () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).qualityFilter(q)));
        }
        for (String attribute : model.enumValues("Attribute")) {
            calls.ok(op + "DetectionAttributes [" + attribute + "]",
                    () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).detectionAttributesWithStrings(attribute)),
                    r -> missingAttributes(r.faceRecords().stream().map(FaceRecord::faceDetail).toList(), List.of(attribute)));
        }
        for (int max : new int[] {1, 100}) {
            calls.ok(op + "group MaxFaces " + max, () -> calls.client.indexFaces(r -> r.collectionId(c).image(group()).maxFaces(max)),
                    r -> atMost(max, r.faceRecords().size(), "FaceRecords"));
        }
        calls.ok(op + "ExternalImageId", () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).externalImageId("a:b_c-d.e")));
        calls.ok(op + "S3Object", () -> calls.client.indexFaces(r -> r.collectionId(c).image(calls.inS3("index.jpg",
                calls.hasSamples() ? calls.sampleBytes("faces/obama2.jpg", 320) : io.imagerec.testsupport.GeneratedImages.jpeg(160, 120)))));
        calls.ok(op + "plain image", () -> calls.client.indexFaces(r -> r.collectionId(c).image(calls.plain())));
        calls.fails(op + "ExternalImageId invalid", "InvalidParameterException", () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).externalImageId("a/b")));
        calls.fails(op + "MaxFaces 0", "InvalidParameterException", () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).maxFaces(0)));
        calls.fails(op + "QualityFilter unknown", "InvalidParameterException", () -> calls.client.indexFaces(r -> r.collectionId(c).image(face).qualityFilter("BEST")));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.indexFaces(r -> r.collectionId("contract-missing-" + calls.run).image(face)));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.indexFaces(r -> r.collectionId(c).image(calls.notAnImage())));
    }

    private void listFaces() {
        String c = collection();
        calls.ok("ListFaces defaults", () -> calls.client.listFaces(r -> r.collectionId(c)));
        for (long max : new long[] {model.bound("PageSize", "min"), 1, model.bound("PageSize", "max")}) {
            calls.ok("ListFaces MaxResults " + max, () -> calls.client.listFaces(r -> r.collectionId(c).maxResults((int) max)),
                    r -> atMost(max, r.faces().size(), "Faces"));
        }
        ListFacesResponse first = calls.ok("ListFaces page 1", () -> calls.client.listFaces(r -> r.collectionId(c).maxResults(1)));
        if (calls.hasSamples() && (first == null || first.nextToken() == null)) {
            calls.breach("ListFaces MaxResults 1 over several faces gave no NextToken");
        } else if (first != null && first.nextToken() != null) {
            calls.ok("ListFaces page 2", () -> calls.client.listFaces(r -> r.collectionId(c).maxResults(1).nextToken(first.nextToken())));
        }
        if (!faceIds.isEmpty()) {
            calls.ok("ListFaces FaceIds", () -> calls.client.listFaces(r -> r.collectionId(c).faceIds(faceIds.get(0))),
                    r -> r.faces().stream().allMatch(f -> f.faceId().equals(faceIds.get(0))) ? null
                            : "the FaceIds filter was not applied: " + r.faces().size() + " faces");
        }
        calls.ok("ListFaces UserId", () -> calls.client.listFaces(r -> r.collectionId(c).userId("contract-user")));
        calls.fails("ListFaces NextToken invalid", "InvalidPaginationTokenException", () -> calls.client.listFaces(r -> r.collectionId(c).nextToken("not a token!")));
        calls.fails("ListFaces missing collection", "ResourceNotFoundException", () -> calls.client.listFaces(r -> r.collectionId("contract-missing-" + calls.run)));
        calls.fails("ListFaces FaceIds invalid", "InvalidParameterException", () -> calls.client.listFaces(r -> r.collectionId(c).faceIds("nope")));
    }

    private void searchFaces() {
        String c = collection();
        if (!faceIds.isEmpty()) {
            String id = faceIds.get(0);
            calls.ok("SearchFaces defaults", () -> calls.client.searchFaces(r -> r.collectionId(c).faceId(id)));
            for (float t : new float[] {0f, 100f}) {
                calls.ok("SearchFaces FaceMatchThreshold " + t, () -> calls.client.searchFaces(r -> r.collectionId(c).faceId(id).faceMatchThreshold(t)));
            }
            for (long max : new long[] {model.bound("MaxFaces", "min"), model.bound("MaxFaces", "max")}) {
                calls.ok("SearchFaces MaxFaces " + max, () -> calls.client.searchFaces(r -> r.collectionId(c).faceId(id).maxFaces((int) max)),
                        r -> atMost(max, r.faceMatches().size(), "FaceMatches"));
            }
            calls.fails("SearchFaces MaxFaces 0", "InvalidParameterException", () -> calls.client.searchFaces(r -> r.collectionId(c).faceId(id).maxFaces(0)));
        }
        calls.fails("SearchFaces unknown face", "InvalidParameterException", () -> calls.client.searchFaces(r -> r.collectionId(c)
                .faceId("00000000-0000-0000-0000-000000000000")));
        calls.fails("SearchFaces invalid face id", "InvalidParameterException", () -> calls.client.searchFaces(r -> r.collectionId(c).faceId("nope")));
        calls.fails("SearchFaces missing collection", "ResourceNotFoundException", () -> calls.client.searchFaces(r -> r.collectionId("contract-missing-" + calls.run)
                .faceId("00000000-0000-0000-0000-000000000000")));
    }

    private void searchFacesByImage() {
        String c = collection();
        Image face = calls.hasSamples() ? calls.sample("faces/obama2.jpg", 320) : calls.plain();
        withFace("SearchFacesByImage defaults", () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(face)));
        for (float t : new float[] {0f, 100f}) {
            withFace("SearchFacesByImage FaceMatchThreshold " + t,
                    () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(face).faceMatchThreshold(t)));
        }
        for (long max : new long[] {model.bound("MaxFaces", "min"), model.bound("MaxFaces", "max")}) {
            withFace("SearchFacesByImage MaxFaces " + max,
                    () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(face).maxFaces((int) max)),
                    r -> atMost(max, r.faceMatches().size(), "FaceMatches"));
        }
        for (String q : model.enumValues("QualityFilter")) {
            withFace("SearchFacesByImage QualityFilter " + q,
                    () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(face).qualityFilter(q)));
        }
        calls.fails("SearchFacesByImage no face", "InvalidParameterException", () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(calls.plain())));
        calls.fails("SearchFacesByImage missing collection", "ResourceNotFoundException",
                () -> calls.client.searchFacesByImage(r -> r.collectionId("contract-missing-" + calls.run).image(face)));
        calls.fails("SearchFacesByImage FaceMatchThreshold 101", "InvalidParameterException",
                () -> calls.client.searchFacesByImage(r -> r.collectionId(c).image(face).faceMatchThreshold(101f)));
    }

    private void deleteFaces() {
        String c = collection();
        List<String> ids = new ArrayList<>(faceIds.isEmpty() ? List.of() : List.of(faceIds.get(faceIds.size() - 1)));
        ids.add("00000000-0000-0000-0000-000000000000");
        calls.ok("DeleteFaces found and not found", () -> calls.client.deleteFaces(r -> r.collectionId(c).faceIds(ids)));
        calls.ok("DeleteFaces none found", () -> calls.client.deleteFaces(r -> r.collectionId(c)
                .faceIds("00000000-0000-0000-0000-000000000001")));
        calls.fails("DeleteFaces invalid id", "InvalidParameterException", () -> calls.client.deleteFaces(r -> r.collectionId(c).faceIds("nope")));
        calls.fails("DeleteFaces no ids", "InvalidParameterException", () -> calls.client.deleteFaces(r -> r.collectionId(c).faceIds(List.of())));
        calls.fails("DeleteFaces missing collection", "ResourceNotFoundException", () -> calls.client.deleteFaces(r -> r.collectionId("contract-missing-" + calls.run)
                .faceIds("00000000-0000-0000-0000-000000000000")));
    }

    // ---- face users: their own collection, so that the face operations' counts stay as they were ----

    /** The face users' collection, created on first use with its users; empty without the samples. */
    private String userCollection;
    /** Face ids of the users' collection by sample: two of one person, one of another. */
    private final Map<String, String> userFaces = new LinkedHashMap<>();
    private static final String UNKNOWN_FACE = "00000000-0000-0000-0000-000000000000";

    private String userA() {
        return "contract-user-a";
    }

    private String userB() {
        return "contract-user-b";
    }

    private String userCollection() {
        if (userCollection == null) {
            userCollection = "contract-users-" + calls.run;
            calls.ok("CreateCollection users", () -> calls.client.createCollection(r -> r.collectionId(userCollection)));
            if (calls.hasSamples()) {
                for (String sample : List.of("obama.jpg", "obama2.jpg", "biden_portrait.jpg")) {
                    IndexFacesResponse indexed = calls.ok("IndexFaces users fixture " + sample, () -> calls.client.indexFaces(r -> r
                            .collectionId(userCollection).image(calls.sample("faces/" + sample, 320)).maxFaces(1)));
                    if (indexed != null && !indexed.faceRecords().isEmpty()) {
                        userFaces.put(sample, indexed.faceRecords().get(0).face().faceId());
                    }
                }
            }
        }
        return userCollection;
    }

    /** The face id of a sample in the users' collection, or an unknown one without the samples. */
    private String userFace(String sample) {
        return userFaces.getOrDefault(sample, UNKNOWN_FACE);
    }

    private static List<String> unknownFaces(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(String.format("00000000-0000-0000-0000-%012d", i + 1));
        }
        return ids;
    }

    private void createUser() {
        String c = userCollection();
        String op = "CreateUser ";
        calls.ok(op + "no token", () -> calls.client.createUser(r -> r.collectionId(c).userId(userA())));
        calls.fails(op + "again", "ConflictException", () -> calls.client.createUser(r -> r.collectionId(c).userId(userA())));
        String token = "contract-create-" + calls.run;
        calls.ok(op + "ClientRequestToken", () -> calls.client.createUser(r -> r.collectionId(c).userId(userB()).clientRequestToken(token)));
        calls.ok(op + "ClientRequestToken repeated, same parameters",
                () -> calls.client.createUser(r -> r.collectionId(c).userId(userB()).clientRequestToken(token)));
        calls.fails(op + "ClientRequestToken repeated, other parameters", "IdempotentParameterMismatchException",
                () -> calls.client.createUser(r -> r.collectionId(c).userId("contract-user-other").clientRequestToken(token)));
        calls.ok(op + "UserId of every allowed character", () -> calls.client.createUser(r -> r.collectionId(c).userId("a:b_c-d.E9")));
        calls.ok(op + "UserId of 128 characters", () -> calls.client.createUser(r -> r.collectionId(c).userId("u".repeat(128))));
        calls.fails(op + "UserId of 129 characters", "InvalidParameterException", () -> calls.client.createUser(r -> r.collectionId(c).userId("u".repeat(129))));
        calls.fails(op + "UserId with a space", "InvalidParameterException", () -> calls.client.createUser(r -> r.collectionId(c).userId("bad id")));
        calls.fails(op + "UserId with /", "InvalidParameterException", () -> calls.client.createUser(r -> r.collectionId(c).userId("a/b")));
        calls.fails(op + "UserId empty", "InvalidParameterException", () -> calls.client.createUser(r -> r.collectionId(c).userId("")));
        calls.fails(op + "ClientRequestToken invalid", "InvalidParameterException",
                () -> calls.client.createUser(r -> r.collectionId(c).userId("contract-user-t").clientRequestToken("bad token!")));
        calls.fails(op + "missing collection", "ResourceNotFoundException",
                () -> calls.client.createUser(r -> r.collectionId("contract-missing-" + calls.run).userId(userA())));
    }

    private void listUsers() {
        String c = userCollection();
        String op = "ListUsers ";
        calls.ok(op + "defaults", () -> calls.client.listUsers(r -> r.collectionId(c)),
                r -> r.users().stream().map(u -> u.userId()).toList().containsAll(List.of(userA(), userB())) ? null
                        : "the created users are not all listed: " + r.users());
        for (long max : new long[] {model.bound("MaxUserResults", "min"), 2, model.bound("MaxUserResults", "max")}) {
            calls.ok(op + "MaxResults " + max, () -> calls.client.listUsers(r -> r.collectionId(c).maxResults((int) max)),
                    r -> atMost(max, r.users().size(), "Users"));
        }
        ListUsersResponse first = calls.ok(op + "page 1", () -> calls.client.listUsers(r -> r.collectionId(c).maxResults(1)));
        if (first == null || first.nextToken() == null) {
            calls.breach(op + "MaxResults 1 over several users gave no NextToken");
        } else {
            calls.ok(op + "page 2", () -> calls.client.listUsers(r -> r.collectionId(c).maxResults(1).nextToken(first.nextToken())),
                    r -> r.users().isEmpty() || r.users().get(0).userId().equals(first.users().get(0).userId())
                            ? "page 2 repeats page 1 or is empty: " + r.users() : null);
        }
        calls.fails(op + "NextToken invalid", "InvalidPaginationTokenException", () -> calls.client.listUsers(r -> r.collectionId(c).nextToken("not a token!")));
        calls.send(op + "NextToken too long", () -> calls.client.listUsers(r -> r.collectionId(c).nextToken("A".repeat(256))));
        calls.fails(op + "MaxResults 0", "InvalidParameterException", () -> calls.client.listUsers(r -> r.collectionId(c).maxResults(0)));
        calls.fails(op + "MaxResults over max", "InvalidParameterException", () -> calls.client.listUsers(r -> r.collectionId(c)
                .maxResults((int) model.bound("MaxUserResults", "max") + 1)));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.listUsers(r -> r.collectionId("contract-missing-" + calls.run)));
    }

    private void associateFaces() {
        String c = userCollection();
        String op = "AssociateFaces ";
        String obama = userFace("obama.jpg");
        String obama2 = userFace("obama2.jpg");
        String biden = userFace("biden_portrait.jpg");
        boolean faces = calls.hasSamples();
        calls.ok(op + "first face", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(obama)),
                r -> !faces ? reasonOf(associationReasons(r), UNKNOWN_FACE, "FACE_NOT_FOUND")
                        : r.associatedFaces().size() == 1 && "ACTIVE".equals(r.userStatusAsString()) ? null
                        : "the first face was not associated: " + r);
        calls.ok(op + "UserMatchThreshold 100", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(obama2)
                .userMatchThreshold(100f)));
        String token = "contract-associate-" + calls.run;
        calls.ok(op + "same person, UserMatchThreshold 0, ClientRequestToken",
                () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(obama2).userMatchThreshold(0f)
                        .clientRequestToken(token)),
                r -> !faces || r.associatedFaces().stream().anyMatch(f -> f.faceId().equals(obama2))
                        || r.unsuccessfulFaceAssociations().isEmpty() ? null : "a face of the same person was not associated: " + r);
        calls.ok(op + "ClientRequestToken repeated, same parameters",
                () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(obama2).userMatchThreshold(0f)
                        .clientRequestToken(token)));
        calls.fails(op + "ClientRequestToken repeated, other parameters", "IdempotentParameterMismatchException",
                () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(obama2).userMatchThreshold(50f)
                        .clientRequestToken(token)));
        if (faces) {
            calls.ok(op + "someone else's face", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userA()).faceIds(biden)),
                    r -> reasonOf(associationReasons(r), biden, "LOW_MATCH_CONFIDENCE"));
            calls.ok(op + "a face of another user", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB()).faceIds(obama)),
                    r -> reasonOf(associationReasons(r), obama, "ASSOCIATED_TO_A_DIFFERENT_USER"));
        }
        calls.ok(op + "unknown face", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB()).faceIds(UNKNOWN_FACE)),
                r -> reasonOf(associationReasons(r), UNKNOWN_FACE, "FACE_NOT_FOUND"));
        calls.ok(op + "100 faces", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB()).faceIds(unknownFaces(100))));
        calls.fails(op + "101 faces", "InvalidParameterException", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB())
                .faceIds(unknownFaces(101))));
        calls.fails(op + "no faces", "InvalidParameterException", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB()).faceIds(List.of())));
        calls.fails(op + "invalid face id", "InvalidParameterException", () -> calls.client.associateFaces(r -> r.collectionId(c).userId(userB()).faceIds("nope")));
        for (float t : new float[] {-1f, 101f}) {
            calls.fails(op + "UserMatchThreshold " + t, "InvalidParameterException", () -> calls.client.associateFaces(r -> r.collectionId(c)
                    .userId(userA()).faceIds(obama2).userMatchThreshold(t)));
        }
        calls.fails(op + "invalid UserId", "InvalidParameterException", () -> calls.client.associateFaces(r -> r.collectionId(c).userId("bad id!").faceIds(obama)));
        calls.fails(op + "unknown user", "ResourceNotFoundException", () -> calls.client.associateFaces(r -> r.collectionId(c)
                .userId("contract-nobody").faceIds(obama)));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.associateFaces(r -> r
                .collectionId("contract-missing-" + calls.run).userId(userA()).faceIds(obama)));

        // What the associations changed elsewhere: ListFaces by user, DescribeCollection's UserCount.
        List<String> ofA = faces ? List.of(obama, obama2) : List.of();
        calls.ok("ListFaces UserId of an associated user", () -> calls.client.listFaces(r -> r.collectionId(c).userId(userA())),
                r -> r.faces().stream().allMatch(f -> userA().equals(f.userId())) && r.faces().stream().map(Face::faceId)
                        .collect(java.util.stream.Collectors.toSet()).equals(Set.copyOf(ofA)) ? null
                        : "ListFaces UserId " + userA() + " should list exactly " + ofA + ": " + r.faces());
        calls.ok("ListFaces UserId and MaxResults 1", () -> calls.client.listFaces(r -> r.collectionId(c).userId(userA()).maxResults(1)),
                r -> atMost(1, r.faces().size(), "Faces"));
        calls.ok("ListFaces UserId and FaceIds", () -> calls.client.listFaces(r -> r.collectionId(c).userId(userB()).faceIds(obama)),
                r -> r.faces().isEmpty() ? null : "a face of " + userA() + " listed for " + userB());
        calls.ok("ListFaces every face carries its UserId", () -> calls.client.listFaces(r -> r.collectionId(c)),
                r -> r.faces().stream().filter(f -> ofA.contains(f.faceId()) != userA().equals(f.userId())).findAny()
                        .map(f -> "face " + f.faceId() + " has UserId " + f.userId()).orElse(null));
        calls.fails("ListFaces UserId invalid", "InvalidParameterException", () -> calls.client.listFaces(r -> r.collectionId(c).userId("bad id!")));
        calls.ok("DescribeCollection UserCount", () -> calls.client.describeCollection(r -> r.collectionId(c)),
                r -> r.userCount() != null && r.userCount() >= 4 ? null : "UserCount " + r.userCount() + " for at least 4 users");
    }

    /** Null when {@code reasons} (face id → its reasons) gives {@code faceId} the reason {@code reason}. */
    private static String reasonOf(Map<String, List<String>> reasons, String faceId, String reason) {
        return reasons.getOrDefault(faceId, List.of()).contains(reason) ? null
                : "face " + faceId + " not refused with " + reason + ": " + reasons;
    }

    private static Map<String, List<String>> associationReasons(AssociateFacesResponse r) {
        return r.unsuccessfulFaceAssociations().stream().collect(java.util.stream.Collectors.toMap(
                UnsuccessfulFaceAssociation::faceId, UnsuccessfulFaceAssociation::reasonsAsStrings));
    }

    private static Map<String, List<String>> disassociationReasons(DisassociateFacesResponse r) {
        return r.unsuccessfulFaceDisassociations().stream().collect(java.util.stream.Collectors.toMap(
                UnsuccessfulFaceDisassociation::faceId, UnsuccessfulFaceDisassociation::reasonsAsStrings));
    }

    private void searchUsers() {
        String c = userCollection();
        String op = "SearchUsers ";
        String obama = userFace("obama.jpg");
        String biden = userFace("biden_portrait.jpg");
        calls.ok(op + "UserId", () -> calls.client.searchUsers(r -> r.collectionId(c).userId(userA())),
                r -> r.userMatches().stream().anyMatch(m -> m.user().userId().equals(userA())) ? "the searched user matched itself" : null);
        if (calls.hasSamples()) {
            calls.ok(op + "FaceId of an associated face", () -> calls.client.searchUsers(r -> r.collectionId(c).faceId(obama)),
                    r -> !r.userMatches().isEmpty() && r.userMatches().get(0).user().userId().equals(userA()) ? null
                            : "the face's user is not the best match: " + r.userMatches());
            calls.ok(op + "FaceId of someone else", () -> calls.client.searchUsers(r -> r.collectionId(c).faceId(biden)),
                    r -> r.userMatches().stream().anyMatch(m -> m.user().userId().equals(userA())) ? "another person matched " + userA() : null);
            for (float t : new float[] {0f, 100f}) {
                calls.ok(op + "UserMatchThreshold " + t, () -> calls.client.searchUsers(r -> r.collectionId(c).faceId(obama).userMatchThreshold(t)));
            }
            for (long max : new long[] {model.bound("MaxUserResults", "min"), model.bound("MaxUserResults", "max")}) {
                calls.ok(op + "MaxUsers " + max, () -> calls.client.searchUsers(r -> r.collectionId(c).faceId(obama).userMatchThreshold(0f)
                        .maxUsers((int) max)), r -> atMost(max, r.userMatches().size(), "UserMatches"));
            }
        }
        calls.ok(op + "UserId without faces", () -> calls.client.searchUsers(r -> r.collectionId(c).userId(userB())));
        calls.fails(op + "MaxUsers 0", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c).userId(userA()).maxUsers(0)));
        calls.fails(op + "MaxUsers over max", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c).userId(userA())
                .maxUsers((int) model.bound("MaxUserResults", "max") + 1)));
        calls.fails(op + "UserMatchThreshold 101", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c)
                .userId(userA()).userMatchThreshold(101f)));
        calls.fails(op + "UserId and FaceId", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c)
                .userId(userA()).faceId(obama)));
        calls.fails(op + "neither UserId nor FaceId", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c)));
        calls.fails(op + "unknown face", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c).faceId(UNKNOWN_FACE)));
        calls.fails(op + "invalid face id", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c).faceId("nope")));
        calls.fails(op + "unknown user", "ResourceNotFoundException", () -> calls.client.searchUsers(r -> r.collectionId(c).userId("contract-nobody")));
        calls.fails(op + "invalid UserId", "InvalidParameterException", () -> calls.client.searchUsers(r -> r.collectionId(c).userId("bad id!")));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.searchUsers(r -> r
                .collectionId("contract-missing-" + calls.run).userId(userA())));
    }

    private void searchUsersByImage() {
        String c = userCollection();
        String op = "SearchUsersByImage ";
        boolean faces = calls.hasSamples();
        // obama_and_biden: a face of user A's person beside another's, so UnsearchedFaces too.
        Image face = faces ? calls.sample("faces/obama_and_biden.jpg", 480) : calls.plain();
        java.util.function.Function<SearchUsersByImageResponse, String> findsA = r -> !faces ? null
                : r.userMatches().stream().anyMatch(m -> m.user().userId().equals(userA())) ? null
                : "the associated user was not found: " + r.userMatches();
        calls.ok(op + "Bytes", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face).userMatchThreshold(0f)), findsA);
        calls.ok(op + "S3Object", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).userMatchThreshold(0f).image(calls.inS3("users.jpg",
                faces ? calls.sampleBytes("faces/obama2.jpg", 320) : io.imagerec.testsupport.GeneratedImages.jpeg(160, 120)))), findsA);
        calls.ok(op + "defaults", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face)));
        for (float t : new float[] {0f, 100f}) {
            calls.ok(op + "UserMatchThreshold " + t, () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face).userMatchThreshold(t)));
        }
        for (long max : new long[] {model.bound("MaxUserResults", "min"), model.bound("MaxUserResults", "max")}) {
            calls.ok(op + "MaxUsers " + max, () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face).userMatchThreshold(0f)
                    .maxUsers((int) max)), r -> atMost(max, r.userMatches().size(), "UserMatches"));
        }
        for (String q : model.enumValues("QualityFilter")) {
            calls.ok(op + "QualityFilter " + q, () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face).qualityFilter(q)));
        }
        calls.send(op + "no face", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(calls.plain())));
        calls.fails(op + "QualityFilter unknown", "InvalidParameterException", () -> calls.client.searchUsersByImage(r -> r.collectionId(c)
                .image(face).qualityFilter("BEST")));
        calls.fails(op + "UserMatchThreshold 101", "InvalidParameterException", () -> calls.client.searchUsersByImage(r -> r.collectionId(c)
                .image(face).userMatchThreshold(101f)));
        calls.fails(op + "MaxUsers 0", "InvalidParameterException", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(face).maxUsers(0)));
        calls.fails(op + "not an image", "InvalidImageFormatException", () -> calls.client.searchUsersByImage(r -> r.collectionId(c).image(calls.notAnImage())));
        calls.fails(op + "missing S3 object", "InvalidS3ObjectException", () -> calls.client.searchUsersByImage(r -> r.collectionId(c)
                .image(calls.s3(io.imagerec.testsupport.TestCloud.BUCKET, "contract/missing-" + calls.run + ".jpg"))));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.searchUsersByImage(r -> r
                .collectionId("contract-missing-" + calls.run).image(face)));
    }

    private void disassociateFaces() {
        String c = userCollection();
        String op = "DisassociateFaces ";
        String obama = userFace("obama.jpg");
        boolean faces = calls.hasSamples();
        String token = "contract-disassociate-" + calls.run;
        calls.ok(op + "a face of the user, ClientRequestToken", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA())
                .faceIds(obama).clientRequestToken(token)),
                r -> !faces || r.disassociatedFaces().stream().anyMatch(f -> f.faceId().equals(obama)) ? null
                        : "the user's face was not disassociated: " + r);
        calls.ok(op + "ClientRequestToken repeated, same parameters", () -> calls.client.disassociateFaces(r -> r.collectionId(c)
                .userId(userA()).faceIds(obama).clientRequestToken(token)));
        calls.fails(op + "ClientRequestToken repeated, other parameters", "IdempotentParameterMismatchException",
                () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userB()).faceIds(obama).clientRequestToken(token)));
        if (faces) {
            String obama2 = userFace("obama2.jpg");
            calls.ok(op + "a face of another user", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userB()).faceIds(obama2)),
                    r -> reasonOf(disassociationReasons(r), obama2, "ASSOCIATED_TO_A_DIFFERENT_USER"));
        }
        calls.ok(op + "unknown face", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA()).faceIds(UNKNOWN_FACE)),
                r -> reasonOf(disassociationReasons(r), UNKNOWN_FACE, "FACE_NOT_FOUND"));
        calls.ok(op + "100 faces", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA()).faceIds(unknownFaces(100))));
        calls.fails(op + "101 faces", "InvalidParameterException", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA())
                .faceIds(unknownFaces(101))));
        calls.fails(op + "no faces", "InvalidParameterException", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA()).faceIds(List.of())));
        calls.fails(op + "invalid face id", "InvalidParameterException", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId(userA()).faceIds("nope")));
        calls.fails(op + "invalid UserId", "InvalidParameterException", () -> calls.client.disassociateFaces(r -> r.collectionId(c).userId("bad id!").faceIds(obama)));
        calls.fails(op + "unknown user", "ResourceNotFoundException", () -> calls.client.disassociateFaces(r -> r.collectionId(c)
                .userId("contract-nobody").faceIds(obama)));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.disassociateFaces(r -> r
                .collectionId("contract-missing-" + calls.run).userId(userA()).faceIds(obama)));
    }

    private void deleteUser() {
        String c = userCollection();
        String op = "DeleteUser ";
        calls.ok(op + "with faces, no token", () -> calls.client.deleteUser(r -> r.collectionId(c).userId(userA())));
        calls.ok("ListFaces UserId of a deleted user", () -> calls.client.listFaces(r -> r.collectionId(c).userId(userA())),
                r -> r.faces().isEmpty() ? null : "faces of a deleted user are listed: " + r.faces());
        calls.fails(op + "again", "ResourceNotFoundException", () -> calls.client.deleteUser(r -> r.collectionId(c).userId(userA())));
        String token = "contract-delete-" + calls.run;
        calls.ok(op + "ClientRequestToken", () -> calls.client.deleteUser(r -> r.collectionId(c).userId(userB()).clientRequestToken(token)));
        calls.ok(op + "ClientRequestToken repeated, same parameters",
                () -> calls.client.deleteUser(r -> r.collectionId(c).userId(userB()).clientRequestToken(token)));
        calls.fails(op + "ClientRequestToken repeated, other parameters", "IdempotentParameterMismatchException",
                () -> calls.client.deleteUser(r -> r.collectionId(c).userId("a:b_c-d.E9").clientRequestToken(token)));
        calls.fails(op + "unknown user", "ResourceNotFoundException", () -> calls.client.deleteUser(r -> r.collectionId(c).userId("contract-nobody")));
        calls.fails(op + "invalid UserId", "InvalidParameterException", () -> calls.client.deleteUser(r -> r.collectionId(c).userId("bad id!")));
        calls.fails(op + "ClientRequestToken invalid", "InvalidParameterException",
                () -> calls.client.deleteUser(r -> r.collectionId(c).userId("a:b_c-d.E9").clientRequestToken("bad token!")));
        calls.fails(op + "missing collection", "ResourceNotFoundException", () -> calls.client.deleteUser(r -> r
                .collectionId("contract-missing-" + calls.run).userId(userA())));
        calls.ok("ListUsers after DeleteUser", () -> calls.client.listUsers(r -> r.collectionId(c)),
                r -> r.users().stream().anyMatch(u -> u.userId().equals(userA()) || u.userId().equals(userB()))
                        ? "deleted users are listed: " + r.users() : null);
        calls.ok("DeleteCollection users", () -> calls.client.deleteCollection(r -> r.collectionId(c)));
    }

    private void deleteCollection() {
        String c = collection();
        calls.ok("DeleteCollection shared", () -> calls.client.deleteCollection(r -> r.collectionId(c)));
        calls.fails("DeleteCollection missing", "ResourceNotFoundException", () -> calls.client.deleteCollection(r -> r.collectionId(c)));
        calls.fails("DeleteCollection invalid id", "InvalidParameterException", () -> calls.client.deleteCollection(r -> r.collectionId("bad id!")));
    }

    private static String labelsWhere(DetectLabelsResponse response, Predicate<Label> wrong, String what) {
        List<String> names = response.labels().stream().filter(wrong).map(Label::name).toList();
        return names.isEmpty() ? null : "labels " + what + " were returned: " + names;
    }

    private static String atMost(long limit, int count, String member) {
        return count <= limit ? null : count + " " + member + " for a limit of " + limit;
    }

    /**
     * The FaceDetail members the requested attributes ask for (an attribute name is its member's,
     * AGE_RANGE → AgeRange; ALL asks for every member) that some face lacks.
     */
    static String missingAttributes(List<FaceDetail> details, List<String> attributes) {
        Set<String> missing = new TreeSet<>();
        for (FaceDetail detail : details) {
            for (SdkField<?> field : detail.sdkFields()) {
                String member = field.locationName();
                boolean asked = attributes.contains("ALL") || attributes.stream().anyMatch(a -> memberOf(a).equals(member));
                Object value = field.getValueOrDefault(detail);
                if (asked && !NOT_ESTIMATED.contains(member) && (value == null || value instanceof SdkAutoConstructList<?>)) {
                    missing.add(member);
                }
            }
        }
        return missing.isEmpty() ? null : "attributes " + attributes + " asked for but left out: " + missing;
    }

    private static String memberOf(String attribute) {
        StringBuilder member = new StringBuilder();
        for (String part : attribute.split("_")) {
            member.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return member.toString();
    }
}
