package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.HashMap;
import java.util.Map;
import org.joml.Matrix4f;
import org.lwjgl.system.MemoryStack;

/** A linked GLSL program built from files in {@code shaders/}; uniform locations are looked up once and cached. */
public final class ShaderProgram implements AutoCloseable {
    private final int id;
    private final String name;
    private final Map<String, Integer> locations = new HashMap<>();

    private ShaderProgram(int id, String name) {
        this.id = id;
        this.name = name;
    }

    public static ShaderProgram graphics(String vertex, String fragment) {
        return graphics(vertex, fragment, Map.of());
    }

    public static ShaderProgram graphics(String vertex, String fragment, Map<String, String> defines) {
        int vs = compile(GL_VERTEX_SHADER, vertex, defines);
        int fs = compile(GL_FRAGMENT_SHADER, fragment, defines);
        return link(vertex + "+" + fragment, vs, fs);
    }

    public static ShaderProgram compute(String file, Map<String, String> defines) {
        return link(file, compile(GL_COMPUTE_SHADER, file, defines));
    }

    private static int compile(int type, String file, Map<String, String> defines) {
        ShaderSource src = ShaderSource.load(file, defines);
        int shader = glCreateShader(type);
        glShaderSource(shader, src.text());
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = src.annotate(glGetShaderInfoLog(shader));
            glDeleteShader(shader);
            throw new IllegalStateException("shaders/" + file + ": compile failed\n" + log);
        }
        return shader;
    }

    private static ShaderProgram link(String name, int... shaders) {
        int program = glCreateProgram();
        for (int s : shaders) {
            glAttachShader(program, s);
        }
        glLinkProgram(program);
        for (int s : shaders) {
            glDetachShader(program, s);
            glDeleteShader(s);
        }
        if (glGetProgrami(program, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(program);
            glDeleteProgram(program);
            throw new IllegalStateException(name + ": link failed\n" + log);
        }
        return new ShaderProgram(program, name);
    }

    public ShaderProgram use() {
        glUseProgram(id);
        return this;
    }

    /** Dispatches this (bound, compute) program over {@code x * y * z} workgroups. */
    public ShaderProgram dispatch(int x, int y, int z) {
        glDispatchCompute(x, y, z);
        return this;
    }

    public int id() {
        return id;
    }

    private int location(String uniform) {
        return locations.computeIfAbsent(uniform, u -> glGetUniformLocation(id, u));
    }

    /** Whether the linked program uses this uniform (the compiler drops unused ones). */
    public boolean has(String uniform) {
        return location(uniform) >= 0;
    }

    public ShaderProgram set(String uniform, int v) {
        glProgramUniform1i(id, location(uniform), v);
        return this;
    }

    /** An ivec2 uniform. (Not an overload of set: ints would silently pick it for vec2 uniforms.) */
    public ShaderProgram setInt2(String uniform, int x, int y) {
        glProgramUniform2i(id, location(uniform), x, y);
        return this;
    }

    public ShaderProgram set(String uniform, boolean v) {
        return set(uniform, v ? 1 : 0);
    }

    public ShaderProgram set(String uniform, float v) {
        glProgramUniform1f(id, location(uniform), v);
        return this;
    }

    public ShaderProgram set(String uniform, float x, float y) {
        glProgramUniform2f(id, location(uniform), x, y);
        return this;
    }

    public ShaderProgram set(String uniform, float x, float y, float z) {
        glProgramUniform3f(id, location(uniform), x, y, z);
        return this;
    }

    public ShaderProgram set(String uniform, float x, float y, float z, float w) {
        glProgramUniform4f(id, location(uniform), x, y, z, w);
        return this;
    }

    public ShaderProgram set(String uniform, Matrix4f m) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glProgramUniformMatrix4fv(id, location(uniform), false, m.get(stack.mallocFloat(16)));
        }
        return this;
    }

    @Override
    public void close() {
        glDeleteProgram(id);
    }

    @Override
    public String toString() {
        return name;
    }
}
