#version 450 core
// Backward warp: out(p) = previous image at p + motion(p), bilinear (equation of org.reconview.recon.Warp, which is
// the golden version). Motion is in pixels, current -> previous, +y down. Alpha of the output is 1 where the sample
// lies on the previous image and 0 where it falls outside (or the motion is not finite); rgb is 0 there.
#include "recon/sampling.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform sampler2D uPrevious;
layout(binding = 1) uniform sampler2D uMotion;
layout(rgba32f, binding = 0) writeonly uniform image2D uOut;
uniform ivec2 uSize;

void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(p, uSize))) return;
    vec2 m = texelFetch(uMotion, p, 0).xy;
    vec2 u = vec2(p) + m;
    bool valid = !any(isnan(m)) && !any(isinf(m)) && insideImage(u, uSize);
    vec4 result = valid ? vec4(bilinearAt(uPrevious, u, uSize).rgb, 1.0) : vec4(0.0);
    imageStore(uOut, p, result);
}
