package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.model.OnnxModel;

/** The real fr_feature.onnx on ONNX Runtime, on inputs the test draws itself. */
class ArcFaceModelTest {

    private static OnnxModel onnx;
    private static ArcFaceModel model;

    @BeforeAll
    static void load() throws Exception {
        onnx = OnnxModel.load(Path.of("models/node_modules/faceplugin-face-recognition-js/model/fr_feature.onnx"), 1);
        model = new ArcFaceModel(onnx);
    }

    @AfterAll
    static void close() throws Exception {
        onnx.close();
    }

    /** A crude drawn face: skin oval, two dark eyes, a nose and a mouth, at the template's points. */
    private static BufferedImage drawnFace(Color skin, int eyeSize) {
        BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 90, 160));
        g.fillRect(0, 0, 224, 224);
        g.setColor(skin);
        g.fillOval(20, 10, 184, 214);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(76 - eyeSize / 2, 103 - eyeSize / 2, eyeSize, eyeSize);
        g.fillOval(147 - eyeSize / 2, 103 - eyeSize / 2, eyeSize, eyeSize);
        g.setColor(new Color(150, 60, 60));
        g.fillRect(83, 180, 58, 10);
        g.dispose();
        return image;
    }

    private static FaceAlignment onTemplateAtTwiceTheSize() {
        double[][] points = new double[5][];
        for (int i = 0; i < 5; i++) {
            points[i] = new double[] {2 * (FaceAlignment.TEMPLATE[i][0] + 0.5), 2 * (FaceAlignment.TEMPLATE[i][1] + 0.5)};
        }
        return FaceAlignment.of(points);
    }

    @Test
    void takesOneFaceOf112PixelsAndGivesAUnitLengthVectorOf512() {
        long[] shape = onnx.inputShape();
        assertEquals(4, shape.length);
        assertEquals(3, shape[1]);
        assertEquals(112, shape[2]);
        float[] v = model.run(drawnFace(new Color(224, 180, 150), 20), List.of(onTemplateAtTwiceTheSize())).get(0);
        assertEquals(ArcFaceModel.DESCRIPTOR_LENGTH, v.length);
        assertEquals(1.0, FaceSimilarity.dot(v, v), 1e-5);
    }

    @Test
    void theSameCropTwiceHasCosineOneAndADifferentDrawingLess() {
        FaceAlignment a = onTemplateAtTwiceTheSize();
        BufferedImage face = drawnFace(new Color(224, 180, 150), 20);
        List<float[]> twice = model.run(face, List.of(a, a));
        assertEquals(1.0, FaceSimilarity.dot(twice.get(0), twice.get(1)), 1e-5);
        float[] other = model.run(drawnFace(new Color(120, 80, 60), 34), List.of(a)).get(0);
        double cosine = FaceSimilarity.dot(twice.get(0), other);
        assertTrue(cosine < 0.999, "another drawing gives another vector: " + cosine);
    }
}
