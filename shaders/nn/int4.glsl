// Packed integer tensors of QW-Net's quantized feature extractor (org.reconview.nn.gl.Int4Tensor):
// codes of BITS (4 or 8) bits, 32 / BITS channels per uint32, lane i (bits BITS*i ..) holding channel PER*g + i of
// word group g, as two's complement. Words are laid out group-major like CHW: word (g, y, x) at (g * h + y) * w + x,
// so channel groups concatenate by appending buffers.
#include "nn/tensor.glsl"

// Signed code of lane i of a packed word (bitfieldExtract on int sign-extends).
int lane(uint word, int i, int bits) {
    return bitfieldExtract(int(word), i * bits, bits);
}

// Packs a signed code into lane i.
uint packLane(int code, int i, int bits) {
    return (uint(code) & ((1u << bits) - 1u)) << (i * bits);
}

// Q(x) of eq. 7 (org.reconview.nn.ActivationQuant.code): M_l at or below lo, M_u at or above hi, else
// z + floor(x / s + 0.5), clamped. NaN gives z.
int quantize(float x, float lo, float hi, float s, int z, int codeMin, int codeMax) {
    if (x <= lo) return codeMin;
    if (x >= hi) return codeMax;
    if (isnan(x)) return z;
    precise float q = x / s;
    return clamp(z + int(floor(q + 0.5)), codeMin, codeMax);
}
