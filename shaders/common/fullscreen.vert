#version 450 core
// One triangle that covers the viewport, made from gl_VertexID (no vertex buffer). vUv is 0..1 with v = 0 at the
// first framebuffer row, which in reconview is the top row of the image.
out vec2 vUv;
void main() {
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    vUv = p;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
