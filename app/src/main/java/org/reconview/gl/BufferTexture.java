package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

/**
 * A texture-buffer view of a buffer object ({@code texelFetch} on a {@code samplerBuffer}/{@code usamplerBuffer}),
 * no copy: the same storage that shaders write as an SSBO. Why the network convolutions read through it: Mesa 22's
 * llvmpipe loads an SSBO value one SIMD lane at a time, each behind a branch, while a texel fetch is one vector
 * gather; a 3x3 conv at 128x128 ran 3.5-5x faster this way (docs/perf.md). Readers must follow the writers with
 * {@code glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT)}.
 */
public final class BufferTexture implements AutoCloseable {
    private static int maxTexels = -1;
    private final int id;

    /** A view of all of {@code buffer} as {@code internalFormat} texels (GL_R32F, GL_R32UI, ...). */
    public BufferTexture(int buffer, int internalFormat) {
        id = glCreateTextures(GL_TEXTURE_BUFFER);
        glTextureBuffer(id, internalFormat, buffer);
    }

    /** Whether a buffer of {@code texels} texels can be viewed whole (GL_MAX_TEXTURE_BUFFER_SIZE). */
    public static boolean fits(long texels) {
        if (maxTexels < 0) {
            maxTexels = glGetInteger(GL_MAX_TEXTURE_BUFFER_SIZE);
        }
        return texels <= Integer.toUnsignedLong(maxTexels);
    }

    public void bind(int unit) {
        glBindTextureUnit(unit, id);
    }

    /** A buffer's view, made on the first bind and remade when another format is asked for. */
    public static final class Lazy implements AutoCloseable {
        private final int buffer;
        private BufferTexture texture;
        private int format;

        public Lazy(int buffer) {
            this.buffer = buffer;
        }

        public void bind(int unit, int internalFormat) {
            if (texture == null || format != internalFormat) {
                close();
                texture = new BufferTexture(buffer, internalFormat);
                format = internalFormat;
            }
            texture.bind(unit);
        }

        @Override
        public void close() {
            if (texture != null) {
                texture.close();
                texture = null;
            }
        }
    }

    @Override
    public void close() {
        glDeleteTextures(id);
    }
}
