package io.imagerec.rekognition.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Names a colour: the nearest CSS named colour, and a simplified colour family. */
public final class ColorNames {

    private record Named(String name, int r, int g, int b) {
    }

    // The CSS Color Module Level 4 named colours (grey/gray synonyms listed once).
    private static final String CSS = "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff "
            + "beige f5f5dc bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a "
            + "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed "
            + "cornsilk fff8dc crimson dc143c darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgrey a9a9a9 "
            + "darkgreen 006400 darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 "
            + "darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b "
            + "darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff "
            + "dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff "
            + "gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 goldenrod daa520 grey 808080 green 008000 "
            + "greenyellow adff2f honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 "
            + "khaki f0e68c lavender e6e6fa lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 "
            + "lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow fafad2 lightgrey d3d3d3 lightgreen 90ee90 "
            + "lightpink ffb6c1 lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategrey 778899 "
            + "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 maroon 800000 "
            + "mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 "
            + "mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585 "
            + "midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 "
            + "oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 "
            + "palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 "
            + "peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 "
            + "rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 "
            + "sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d silver c0c0c0 skyblue 87ceeb "
            + "slateblue 6a5acd slategrey 708090 snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 "
            + "thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 "
            + "yellow ffff00 yellowgreen 9acd32";

    private static final List<Named> CSS_COLORS = parse();

    private ColorNames() {
    }

    private static List<Named> parse() {
        String[] parts = CSS.split(" ");
        List<Named> out = new ArrayList<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            int rgb = Integer.parseInt(parts[i + 1], 16);
            out.add(new Named(parts[i], (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
        }
        return List.copyOf(out);
    }

    /** The CSS named colour nearest in (weighted) RGB distance. */
    public static String css(int r, int g, int b) {
        Named best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Named c : CSS_COLORS) {
            double rm = (r + c.r) / 2.0;
            double dr = r - c.r;
            double dg = g - c.g;
            double db = b - c.b;
            // "redmean" approximation of perceived distance
            double d = (2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best.name;
    }

    /** One of black, white, grey, red, orange, yellow, green, blue, purple, pink, brown. */
    public static String simplified(int r, int g, int b) {
        float[] hsb = java.awt.Color.RGBtoHSB(r, g, b, null);
        float hue = hsb[0] * 360f;
        float saturation = hsb[1];
        float value = hsb[2];
        if (value < 0.18f) {
            return "black";
        }
        if (saturation < 0.15f) {
            return value > 0.85f ? "white" : "grey";
        }
        if (saturation < 0.25f && value < 0.5f) {
            return "grey";
        }
        if (hue < 15 || hue >= 340) {
            return value < 0.6f && saturation > 0.4f ? "brown" : (saturation < 0.5f && value > 0.8f ? "pink" : "red");
        }
        if (hue < 45) {
            return value < 0.65f ? "brown" : "orange";
        }
        if (hue < 70) {
            return value < 0.5f ? "brown" : "yellow";
        }
        if (hue < 170) {
            return "green";
        }
        if (hue < 260) {
            return "blue";
        }
        if (hue < 300) {
            return "purple";
        }
        return "pink";
    }

    public static String hex(int r, int g, int b) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }
}
