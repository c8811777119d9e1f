package dev.weft.examples.many;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.Task3;
import dev.weft.TaskFuture;
import java.util.List;

/**
 * {@code task.map(...)}: one run per element. A render task gets each scene with its own frame count, the
 * resolution and the formats held out of the mapping ({@code Task.unmapped} for the list of formats, which
 * would otherwise be mapped too). The scenes come from a task, as futures, and each render starts as soon
 * as its scene is ready. The futures come back in the order of the scenes.
 */
public final class MapScenes {
    private MapScenes() {}

    // snippet:map
    static final Task1<String, String> loadScene = Task.of("load_scene", (String name) -> name + ".scene");

    static final Task3<String, Integer, List<String>, String> render = Task.of(
            "render",
            (String scene, Integer frames, List<String> formats) ->
                    scene + ": " + frames + " frames as " + String.join(", ", formats));

    static final Flow<List<String>> renderAll = Flow.of("render-all", () -> {
        List<TaskFuture<String>> scenes = loadScene.map(List.of("intro", "chase", "credits"));
        List<TaskFuture<String>> renders = render.map(
                scenes, // mapped: one run per scene, each started once its scene is loaded
                List.of(240, 1200, 90), // mapped: the frames of each scene
                Task.unmapped(List.of("png", "exr"))); // held out: every run gets the whole list
        return renders.stream().map(TaskFuture::result).toList();
    });
    // end-snippet:map

    /**
     * Runs the flow and prints what each render made, in the order of the scenes.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        renderAll.call().forEach(System.out::println);
    }
}
