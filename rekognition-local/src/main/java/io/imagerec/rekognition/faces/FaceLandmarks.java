package io.imagerec.rekognition.faces;

import java.util.ArrayList;
import java.util.List;

import io.imagerec.rekognition.shape.FaceDetail.Landmark;
import io.imagerec.rekognition.shape.FaceDetail.Pose;

/**
 * Rekognition's landmarks, pose and openness measures read off the 468-point MediaPipe mesh.
 *
 * <p>Rekognition's "left" is the viewer's left (the subject's right eye is {@code eyeLeft}); MediaPipe
 * numbers the subject's right-eye points 33 (outer corner), 133 (inner), 159 (upper lid), 145 (lower).
 * The mesh has no iris points, so a pupil is placed at the middle of its eye's corners and lids.
 */
final class FaceLandmarks {

    private static final int LEFT_EYE_OUTER = 33;
    private static final int LEFT_EYE_INNER = 133;
    private static final int LEFT_EYE_UP = 159;
    private static final int LEFT_EYE_DOWN = 145;
    private static final int RIGHT_EYE_INNER = 362;
    private static final int RIGHT_EYE_OUTER = 263;
    private static final int RIGHT_EYE_UP = 386;
    private static final int RIGHT_EYE_DOWN = 374;
    private static final int MOUTH_LEFT = 61;
    private static final int MOUTH_RIGHT = 291;
    private static final int LIP_INNER_UP = 13;
    private static final int LIP_INNER_DOWN = 14;
    private static final int FOREHEAD = 10;
    private static final int CHIN = 152;
    private static final int CHEEK_LEFT = 234;
    private static final int CHEEK_RIGHT = 454;

    private FaceLandmarks() {
    }

    /** Every Rekognition landmark type, as ratios of the image width and height. */
    static List<Landmark> of(FaceMeshModel.Mesh m, float w, float h) {
        List<Landmark> out = new ArrayList<>();
        out.add(mean("eyeLeft", m, w, h, LEFT_EYE_OUTER, LEFT_EYE_INNER));
        out.add(mean("eyeRight", m, w, h, RIGHT_EYE_INNER, RIGHT_EYE_OUTER));
        out.add(mean("mouthLeft", m, w, h, MOUTH_LEFT));
        out.add(mean("mouthRight", m, w, h, MOUTH_RIGHT));
        out.add(mean("nose", m, w, h, 1));
        out.add(mean("leftEyeBrowLeft", m, w, h, 70));
        out.add(mean("leftEyeBrowRight", m, w, h, 107));
        out.add(mean("leftEyeBrowUp", m, w, h, 105));
        out.add(mean("rightEyeBrowLeft", m, w, h, 336));
        out.add(mean("rightEyeBrowRight", m, w, h, 300));
        out.add(mean("rightEyeBrowUp", m, w, h, 334));
        out.add(mean("leftEyeLeft", m, w, h, LEFT_EYE_OUTER));
        out.add(mean("leftEyeRight", m, w, h, LEFT_EYE_INNER));
        out.add(mean("leftEyeUp", m, w, h, LEFT_EYE_UP));
        out.add(mean("leftEyeDown", m, w, h, LEFT_EYE_DOWN));
        out.add(mean("rightEyeLeft", m, w, h, RIGHT_EYE_INNER));
        out.add(mean("rightEyeRight", m, w, h, RIGHT_EYE_OUTER));
        out.add(mean("rightEyeUp", m, w, h, RIGHT_EYE_UP));
        out.add(mean("rightEyeDown", m, w, h, RIGHT_EYE_DOWN));
        out.add(mean("noseLeft", m, w, h, 129));
        out.add(mean("noseRight", m, w, h, 358));
        out.add(mean("mouthUp", m, w, h, 0));
        out.add(mean("mouthDown", m, w, h, 17));
        out.add(mean("leftPupil", m, w, h, LEFT_EYE_OUTER, LEFT_EYE_INNER, LEFT_EYE_UP, LEFT_EYE_DOWN));
        out.add(mean("rightPupil", m, w, h, RIGHT_EYE_INNER, RIGHT_EYE_OUTER, RIGHT_EYE_UP, RIGHT_EYE_DOWN));
        out.add(mean("upperJawlineLeft", m, w, h, CHEEK_LEFT));
        out.add(mean("midJawlineLeft", m, w, h, 172));
        out.add(mean("chinBottom", m, w, h, CHIN));
        out.add(mean("midJawlineRight", m, w, h, 397));
        out.add(mean("upperJawlineRight", m, w, h, CHEEK_RIGHT));
        return out;
    }

    private static Landmark mean(String type, FaceMeshModel.Mesh m, float w, float h, int... points) {
        float x = 0;
        float y = 0;
        for (int p : points) {
            x += m.x(p);
            y += m.y(p);
        }
        return new Landmark(type, round5(x / points.length / w), round5(y / points.length / h));
    }

    /**
     * Head pose in degrees. Roll is the slope of the line between the eyes, positive when the head
     * leans clockwise in the image. Yaw and pitch come from the mesh's 3-D axes (cheek to cheek,
     * forehead to chin): yaw is positive when the face turns toward the image's right, pitch is
     * positive when it tilts up.
     */
    static Pose pose(FaceMeshModel.Mesh m) {
        float ex = (m.x(RIGHT_EYE_INNER) + m.x(RIGHT_EYE_OUTER) - m.x(LEFT_EYE_OUTER) - m.x(LEFT_EYE_INNER)) / 2;
        float ey = (m.y(RIGHT_EYE_INNER) + m.y(RIGHT_EYE_OUTER) - m.y(LEFT_EYE_OUTER) - m.y(LEFT_EYE_INNER)) / 2;
        double roll = Math.toDegrees(Math.atan2(ey, ex));
        double[] x = unit(m, CHEEK_LEFT, CHEEK_RIGHT);
        double[] y = unit(m, FOREHEAD, CHIN);
        // Remove the roll first, so yaw and pitch are read in the face's own upright frame.
        double c = Math.cos(Math.toRadians(-roll));
        double s = Math.sin(Math.toRadians(-roll));
        double xx = c * x[0] - s * x[1];
        double yy = s * y[0] + c * y[1];
        double yaw = Math.toDegrees(Math.atan2(x[2], xx));
        double pitch = -Math.toDegrees(Math.atan2(y[2], yy));
        return new Pose(round2(roll), round2(yaw), round2(pitch));
    }

    private static double[] unit(FaceMeshModel.Mesh m, int from, int to) {
        double dx = m.x(to) - m.x(from);
        double dy = m.y(to) - m.y(from);
        double dz = m.z(to) - m.z(from);
        double n = Math.sqrt(dx * dx + dy * dy + dz * dz);
        return n == 0 ? new double[] {1, 0, 0} : new double[] {dx / n, dy / n, dz / n};
    }

    /**
     * The five points ArcFace-style recognizers are aligned by, in image pixels: the eye on the image's
     * left, the eye on its right (each the middle of its corners, as {@code eyeLeft}/{@code eyeRight}),
     * the nose tip, the mouth's left and right corners.
     */
    static double[][] fivePoints(FaceMeshModel.Mesh m) {
        return new double[][] {
            {(m.x(LEFT_EYE_OUTER) + m.x(LEFT_EYE_INNER)) / 2.0, (m.y(LEFT_EYE_OUTER) + m.y(LEFT_EYE_INNER)) / 2.0},
            {(m.x(RIGHT_EYE_INNER) + m.x(RIGHT_EYE_OUTER)) / 2.0, (m.y(RIGHT_EYE_INNER) + m.y(RIGHT_EYE_OUTER)) / 2.0},
            {m.x(1), m.y(1)},
            {m.x(MOUTH_LEFT), m.y(MOUTH_LEFT)},
            {m.x(MOUTH_RIGHT), m.y(MOUTH_RIGHT)},
        };
    }

    /** Mean over both eyes of lid gap over eye width; about 0.3 for an open eye, under 0.1 for a closed one. */
    static float eyeOpenness(FaceMeshModel.Mesh m) {
        float left = dist(m, LEFT_EYE_UP, LEFT_EYE_DOWN) / Math.max(1e-3f, dist(m, LEFT_EYE_OUTER, LEFT_EYE_INNER));
        float right = dist(m, RIGHT_EYE_UP, RIGHT_EYE_DOWN) / Math.max(1e-3f, dist(m, RIGHT_EYE_INNER, RIGHT_EYE_OUTER));
        return (left + right) / 2;
    }

    /** Gap between the inner lips over mouth width. */
    static float mouthOpenness(FaceMeshModel.Mesh m) {
        return dist(m, LIP_INNER_UP, LIP_INNER_DOWN) / Math.max(1e-3f, dist(m, MOUTH_LEFT, MOUTH_RIGHT));
    }

    private static float dist(FaceMeshModel.Mesh m, int a, int b) {
        float dx = m.x(a) - m.x(b);
        float dy = m.y(a) - m.y(b);
        return (float) Math.sqrt(dx * dx + dy * dy);
    }

    private static float round5(float v) {
        return Math.round(v * 100000f) / 100000f;
    }

    private static float round2(double v) {
        return Math.round(v * 100.0) / 100f;
    }
}
