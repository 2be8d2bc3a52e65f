package org.reconview.gl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #include expansion, #define injection, #line numbering and log annotation, on a temporary shaders/ folder. */
class ShaderSourceTest {
    private static final String ROOT = "reconview.root";
    private static final Pattern LINE = Pattern.compile("^#line (\\d+) (\\d+)$");
    private static final Pattern MARK = Pattern.compile("// @(\\S+)$");

    @TempDir
    Path tmp;
    private String savedRoot;

    @BeforeEach
    void root() throws IOException {
        savedRoot = System.getProperty(ROOT);
        Path shaders = Files.createDirectories(tmp.resolve("shaders"));
        Files.createDirectories(tmp.resolve("assets"));
        System.setProperty(ROOT, tmp.toString());
        // Every content line carries a marker "// @file:line" naming where it came from.
        Files.writeString(shaders.resolve("a.comp"), String.join("\n",
                "#version 450",
                "#include \"b.glsl\"",
                "layout(local_size_x = 8) in; // @a.comp:3",
                "#include \"b.glsl\"",
                "void main() { // @a.comp:5",
                "} // @a.comp:6",
                ""));
        Files.writeString(shaders.resolve("b.glsl"), String.join("\n",
                "// b first line // @b.glsl:1",
                "#include \"c.glsl\"",
                "float bee() { return cee(); } // @b.glsl:3",
                ""));
        Files.writeString(shaders.resolve("c.glsl"), String.join("\n",
                "// c first line // @c.glsl:1",
                "float cee() { return 1.0; } // @c.glsl:2",
                ""));
        Files.writeString(shaders.resolve("d.comp"), "#version 450\n#include \"nosuch.glsl\"\nvoid main() {}\n");
    }

    @AfterEach
    void restore() {
        if (savedRoot == null) {
            System.clearProperty(ROOT);
        } else {
            System.setProperty(ROOT, savedRoot);
        }
    }

    private static ShaderSource load() {
        Map<String, String> defines = new LinkedHashMap<>();
        defines.put("FOO", "1");
        defines.put("BAR", "2.5");
        return ShaderSource.load("a.comp", defines);
    }

    @Test
    void includesEachFileOnce() {
        ShaderSource s = load();
        assertEquals(List.of("a.comp", "b.glsl", "c.glsl"), s.fileNames());
        String text = s.text();
        assertFalse(text.contains("#include"), text);
        for (String mark : List.of("@a.comp:3", "@b.glsl:1", "@b.glsl:3", "@c.glsl:1", "@c.glsl:2")) {
            assertEquals(1, count(text, mark), mark + " in:\n" + text);
        }
        // c is defined before b uses it
        assertTrue(text.indexOf("float cee()") < text.indexOf("float bee()"), text);
    }

    @Test
    void definesFollowTheVersionLine() {
        String[] lines = load().text().split("\n");
        assertEquals("#version 450", lines[0]);
        assertEquals("#define FOO 1", lines[1]);
        assertEquals("#define BAR 2.5", lines[2]);
        assertEquals("#line 2 0", lines[3], "after the defines, a.comp resumes at its line 2");
    }

    /**
     * Replays the #line directives as a GLSL 4.5 compiler does (a directive sets the number of the NEXT line and the
     * source string) and checks that every marked line is reported at the file and line it came from.
     */
    @Test
    void lineDirectivesMapBackToTheFiles() {
        ShaderSource s = load();
        List<String> names = s.fileNames();
        int source = 0, line = 1;
        Map<String, String> seen = new HashMap<>();
        List<String> directives = new ArrayList<>();
        for (String l : s.text().split("\n")) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                directives.add(l);
                line = Integer.parseInt(m.group(1));
                source = Integer.parseInt(m.group(2));
                continue;
            }
            Matcher mark = MARK.matcher(l);
            if (mark.find()) {
                seen.put(mark.group(1), names.get(source) + ":" + line);
            }
            line++;
        }
        assertEquals(7, seen.size(), seen::toString);
        seen.forEach((want, got) -> assertEquals(want, got, "reported location of the line marked " + want));
        assertTrue(directives.contains("#line 1 1"), directives::toString);
        assertTrue(directives.contains("#line 1 2"), directives::toString);
    }

    @Test
    void annotateNamesTheFiles() {
        ShaderSource s = load();
        assertEquals("c.glsl:2(5): error: 'x' undeclared", s.annotate("2:2(5): error: 'x' undeclared"));
        assertEquals("a.comp:3(1): error: one\nb.glsl:3(10): warning: two",
                s.annotate("0:3(1): error: one\n1:3(10): warning: two"));
        assertEquals("ERROR: (c.glsl:2) something", s.annotate("ERROR: (2:2) something"));
        // NVIDIA's driver writes "file(line)".
        assertEquals("b.glsl:12 : error C1008: undefined variable \"x\"",
                s.annotate("1(12) : error C1008: undefined variable \"x\""));
    }

    @Test
    void missingIncludeNamesTheFile() {
        Exception e = assertThrows(Exception.class, () -> ShaderSource.load("d.comp", Map.of()));
        assertTrue(e.getMessage().contains("nosuch.glsl"), e.getMessage());
        Exception top = assertThrows(Exception.class, () -> ShaderSource.load("nosuch.comp", Map.of()));
        assertTrue(top.getMessage().contains("nosuch.comp"), top.getMessage());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
