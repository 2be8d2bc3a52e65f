// Display encodings for the metrics: linear HDR RGB -> the [0, 1] values PSNR, SSIM and the temporal error compare.
// GLSL twin of org.reconview.metrics.DisplayEncoding (tested against it, and against what the viewer shows).
//   ENCODING_PQ     pqEncode from common/pq.glsl (ST 2084, 1000 nits; the one PQ definition)
//   ENCODING_SRGB   exposure 0 stops (x 2^0), Narkowicz's ACES fit, sRGB OETF: the curve ui/view.frag shows with
//                   uExposure = 0 (it uses metricsAces and metricsSrgbOetf below). NaN and negatives give 0; the tone
//                   map input is clamped to 65504, above which the curve is 1 anyway.
//   ENCODING_LINEAR the values as given, NOT clamped (they should already lie in [0, 1])
// The ENCODING_* numbers and SRGB_EXPOSURE_STOPS are #defined by the Java side (DisplayEncoding.shaderDefines());
// a program that includes this file without them does not compile.
#include "common/pq.glsl"

#if !defined(ENCODING_PQ) || !defined(ENCODING_SRGB) || !defined(ENCODING_LINEAR) || !defined(SRGB_EXPOSURE_STOPS)
#error "ENCODING_* and SRGB_EXPOSURE_STOPS must be defined from DisplayEncoding.shaderDefines()"
#endif

vec3 metricsAces(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

vec3 metricsSrgbOetf(vec3 c) {
    return mix(12.92 * c, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

vec3 displayEncode(vec3 linear, int encoding) {
    if (encoding == ENCODING_PQ) {
        return pqEncode(linear);
    }
    if (encoding == ENCODING_SRGB) {
        bvec3 bad = not(greaterThan(linear, vec3(0.0)));   // negatives and NaN
        vec3 x = min(mix(linear, vec3(0.0), bad) * exp2(float(SRGB_EXPOSURE_STOPS)), vec3(65504.0));
        return metricsSrgbOetf(metricsAces(x));
    }
    return linear;
}
