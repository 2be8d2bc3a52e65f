#version 450 core
// Metrics pass 1 of 4 (GpuMetrics.evaluate): display-encodes the image and the reference and sums the squared error
// for PSNR.
//   in   uImage, uReference   sampler2D units 0, 1: linear HDR RGBA (R, G, B used), row 0 = top, W x H
//   out  uX, uY               image2D units 0, 1, rgba32f, W x H: displayEncode(rgb) of image and reference, alpha 0
//   out  partials[0 * uStride + g]   SSBO binding 0: sum over the workgroup's pixels and R, G, B of (x - y)^2, one
//                                    float per 16x16 workgroup g (row-major over the dispatch); reduce.comp sums them
// uEncoding is one of the ENCODING_* values (DisplayEncoding.shaderCode()).
#include "metrics/encoding.glsl"
#include "metrics/workgroup_sum.glsl"
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(binding = 0) uniform sampler2D uImage;
layout(binding = 1) uniform sampler2D uReference;
layout(rgba32f, binding = 0) writeonly uniform image2D uX;
layout(rgba32f, binding = 1) writeonly uniform image2D uY;
layout(std430, binding = 0) buffer Partials { float partials[]; };
uniform int uEncoding;
uniform int uStride;

void main() {
    ivec2 size = textureSize(uImage, 0);
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    float squared = 0.0;
    if (all(lessThan(p, size))) {
        vec3 x = displayEncode(texelFetch(uImage, p, 0).rgb, uEncoding);
        vec3 y = displayEncode(texelFetch(uReference, p, 0).rgb, uEncoding);
        imageStore(uX, p, vec4(x, 0.0));
        imageStore(uY, p, vec4(y, 0.0));
        vec3 d = x - y;
        squared = dot(d, d);
    }
    float total = workgroupSum(squared);
    if (gl_LocalInvocationIndex == 0u) {
        partials[workgroupIndex()] = total;
    }
}
