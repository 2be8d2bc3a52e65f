// SMPTE ST 2084 (PQ) inverse EOTF normalised to 1000 nits: scene-linear 1.0 = 100 nits, linear [0, 10] -> [0, 1].
// Same curve and constants as org.reconview.color.Pq (tested against it).
const float PQ_M1 = 2610.0 / 16384.0;
const float PQ_M2 = 2523.0 / 4096.0 * 128.0;
const float PQ_C1 = 3424.0 / 4096.0;
const float PQ_C2 = 2413.0 / 4096.0 * 32.0;
const float PQ_C3 = 2392.0 / 4096.0 * 32.0;
const float PQ_NITS_PER_UNIT = 100.0;
const float PQ_MAX_LINEAR = 10.0;

float pqSt2084(float y) {
    float p = pow(y, PQ_M1);
    return pow((PQ_C1 + PQ_C2 * p) / (1.0 + PQ_C3 * p), PQ_M2);
}

// ST 2084 code of 1000 nits; computed, not typed, so it cannot drift from the constants above.
float pqPeakCode() { return pqSt2084(PQ_MAX_LINEAR * PQ_NITS_PER_UNIT / 10000.0); }

vec3 pqEncode(vec3 linear) {
    vec3 y = clamp(linear, 0.0, PQ_MAX_LINEAR) * (PQ_NITS_PER_UNIT / 10000.0);
    // NaN compares false with everything: max(NaN, 0) may return either, so test explicitly.
    bvec3 bad = not(greaterThan(linear, vec3(0.0)));
    vec3 e = vec3(pqSt2084(y.r), pqSt2084(y.g), pqSt2084(y.b)) / pqPeakCode();
    return mix(e, vec3(0.0), bvec3(bad));
}

vec3 pqDecode(vec3 code) {
    vec3 e = clamp(code, 0.0, 1.0) * pqPeakCode();
    vec3 p = pow(e, vec3(1.0 / PQ_M2));
    vec3 y = pow(max(p - PQ_C1, 0.0) / (PQ_C2 - PQ_C3 * p), vec3(1.0 / PQ_M1));
    return y * (10000.0 / PQ_NITS_PER_UNIT);
}
