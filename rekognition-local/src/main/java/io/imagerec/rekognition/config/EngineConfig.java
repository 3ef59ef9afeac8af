package io.imagerec.rekognition.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of rekognition-local; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "rekognition")
public interface EngineConfig {

    /** Models: where the pinned npm model packages are installed. */
    Models models();

    /** Inference: threads and the bound on requests in flight. */
    Inference inference();

    /** S3: where {@code Image.S3Object} references are read from. */
    S3 s3();

    /** Authentication of incoming requests. */
    Auth auth();

    /** Face detection and face collections. */
    Faces faces();

    /** Where face collections are kept. */
    Collections collections();

    /** An optional account quota, for testing clients against throttling offline. */
    Quota quota();

    /** DetectLabels: extra passes that find more labels at a cost in time. */
    Labels labels();

    interface Labels {
        /**
         * Also run the object detector on the image's four quadrants (four more forward passes), which
         * finds small and crowded objects the whole-image pass misses; merged with it by non-max
         * suppression. Off by default: about four times the latency.
         */
        @WithDefault("false")
        boolean tiles();

        /** Run the face detector (BlazeFace confirmed by FaceMesh) for the Face, Head and Portrait labels. */
        @WithDefault("true")
        boolean faces();

        /**
         * Run the text detector (PP-OCRv4 DB) on the image scaled to at most {@code text-side} pixels for
         * the Text label; 0 turns it off.
         */
        @WithDefault("320")
        int textSide();

        /**
         * Run the content classifier (nsfwjs InceptionV3, DetectModerationLabels' model) for the Art label. Off by default: one more forward pass of about three times the detector's cost.
         */
        @WithDefault("false")
        boolean art();
    }

    /** DetectModerationLabels' classifier. */
    Moderation moderation();

    /** DetectText's detector. */
    Text text();

    interface Text {
        /**
         * Threads of DetectText's detector pass when no other request is in flight (the engine is
         * otherwise idle, so the second core would wait); with others in flight the pass keeps
         * {@code rekognition.inference.intra-op-threads}, so concurrent throughput is not traded
         * away. 1 turns it off.
         */
        @WithDefault("2")
        int idleDetectorThreads();

        /**
         * The width each line is scaled to for the recognizer, as a fraction of its width at 48 pixels
         * high with its aspect kept: the recognizer's time is about proportional to it. Below 1 lines
         * are squeezed along the text, which costs accuracy on short lines of large letters (signs).
         */
        @WithDefault("1.0")
        float lineWidthFactor();

        /**
         * Rewrite PaddleOCR's ONNX graphs at load time ({@code OnnxGraphRewrite}) so that ONNX Runtime
         * fuses the scale and bias around each convolution and runs hard-swish as two operators instead
         * of four: the same outputs within float rounding, about 15% less CPU a recognizer pass.
         */
        @WithDefault("true")
        boolean graphRewrite();
    }

    interface Moderation {
        /**
         * Threads one forward pass of the moderation classifier (InceptionV3, about 6 GFLOPs) may use;
         * unset: {@code rekognition.inference.intra-op-threads}. 0 lets TensorFlow use every core.
         */
        Optional<Integer> intraOpThreads();
    }

    interface Models {
        /** The {@code node_modules} directory of {@code rekognition-local/models}. */
        @WithDefault("models/node_modules")
        String dir();
    }

    interface Inference {
        /**
         * Threads one forward pass may use; 0 lets TensorFlow use every core. On CenterNet one thread is
         * as fast as two, so the default of 1 lets concurrent requests use the other cores.
         */
        @WithDefault("1")
        int intraOpThreads();

        /**
         * Give ONNX Runtime's CPU arena (the text and ArcFace models) back after every forward pass
         * instead of keeping each model's largest intermediate tensors for good.
         */
        @WithDefault("true")
        boolean onnxArenaShrinkage();

        /** Requests analysed at the same time; defaults to the number of cores. */
        Optional<Integer> maxConcurrent();

        /** Requests that may wait for a free slot; beyond that the engine answers ThrottlingException. */
        @WithDefault("16")
        int maxQueued();

        /**
         * An image with more stored pixels than this (in megapixels) is decoded in the large-image lane
         * instead of in its request's analysis slot, so a few huge images cannot hold every slot while
         * small requests wait behind them.
         */
        @WithDefault("24")
        double largeImageMegapixels();

        /** Large images decoded at the same time; the others wait for the lane, holding no analysis slot. */
        @WithDefault("1")
        int largeImageLanes();
    }

    interface Quota {
        /**
         * Calls per second the engine accepts, over every operation together (a token bucket); beyond
         * it a call is refused as AWS refuses calls over an account's quota. Unset: no quota.
         */
        Optional<Double> callsPerSecond();

        /** Calls that may arrive at once after a quiet spell (the bucket's size); defaults to one second's worth. */
        Optional<Integer> burst();

        /**
         * The refusal: {@code ProvisionedThroughputExceededException} (HTTP 400, what AWS answers over an
         * account's TPS quota), {@code ThrottlingException} (HTTP 500, AWS's "temporarily unable to
         * process"), or {@code both}, alternating, so a client's handling of each is exercised.
         */
        @WithDefault("ProvisionedThroughputExceededException")
        String error();
    }

    interface S3 {
        /** S3 endpoint override (local-cloud's S3 locally); AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Path-style bucket addressing, which S3-compatible local servers need. */
        @WithDefault("true")
        boolean pathStyle();
    }

    interface Faces {
        /**
         * Also run the face detector on overlapping tiles, which finds faces 1.7 times smaller than the
         * whole-image pass does (about 4% instead of 6% of the longer side) for up to four more passes.
         */
        @WithDefault("false")
        boolean smallFaceTiles();

        /**
         * The identity descriptor of CompareFaces and of collections created from now on: {@code arcface}
         * (faceplugin's ArcFace-style model) or {@code faceres} (HSE FaceRes, the only one before). A
         * collection keeps the descriptor it was created with.
         */
        @WithDefault("arcface")
        String descriptor();

        /** Directory where face collections are stored; each collection is one subdirectory. */
        @WithDefault(".data/collections")
        String collectionsDir();
    }

    interface Collections {
        /**
         * {@code file}: on this engine's disk under {@code rekognition.faces.collections-dir}, for one engine
         * alone. {@code postgresql}: in the database of {@code quarkus.datasource.*}, shared by every engine
         * pointed at it (each answers the same), with the datasource and Flyway active only then.
         */
        @WithDefault("file")
        Store store();

        enum Store {
            FILE,
            POSTGRESQL
        }
    }

    interface Auth {
        /**
         * Verify the AWS Signature Version 4 of every API request (health, metrics and OpenAPI are not
         * signed). On by default; off, any caller may use the engine.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Accepted credentials as {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY}. Unset: the engine accepts its
         * own credentials from the AWS default credentials chain, the ones its callers share with it.
         */
        Optional<List<String>> credentials();

        /**
         * How far a request's {@code X-Amz-Date} may be from the engine's clock, either way; older or
         * later requests are refused ("Signature expired"), so a captured request cannot be replayed
         * after this window. AWS allows 15 minutes; the engine and its callers share a clock or NTP.
         */
        @WithDefault("5M")
        Duration maxClockSkew();
    }
}
