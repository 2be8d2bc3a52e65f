package org.reconview.cli;

import java.util.concurrent.Callable;
import org.reconview.scene.builtin.BuiltinScenes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "scenes",
        description = "List the built-in scenes, one per line; the held-out evaluation scene is marked held-out.")
final class ScenesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int width = BuiltinScenes.names().stream().mapToInt(String::length).max().orElse(8);
        for (BuiltinScenes.Entry e : BuiltinScenes.all()) {
            spec.commandLine().getOut().printf(java.util.Locale.ROOT, "%-" + width + "s  %-8s  %s%n", e.name(), e.role().label,
                    e.description());
        }
        return 0;
    }
}
