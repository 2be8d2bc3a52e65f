// Per-pass camera uniforms shared by the geometry and sky passes.
uniform mat4 uViewProj;        // current frame, no jitter, y flipped so row 0 is the image top
uniform mat4 uPrevViewProj;    // previous frame, no jitter
uniform mat4 uView;            // current view matrix (for linear depth)
uniform vec2 uViewport;        // pixels
uniform vec2 uSampleOffset;    // where this pass samples inside the pixel, pixels from the centre, +y down
uniform vec3 uCameraPos;
uniform float uTime;           // seconds
uniform float uPrevTime;

// Motion in pixels from the current (unjittered) position to the previous one, image row order (+y down).
vec2 motionPixels(vec4 clipNow, vec4 clipPrev) {
    vec2 now = (clipNow.xy / clipNow.w * 0.5 + 0.5) * uViewport;
    vec2 prev = (clipPrev.xy / max(clipPrev.w, 1e-6) * 0.5 + 0.5) * uViewport;
    return prev - now;
}
