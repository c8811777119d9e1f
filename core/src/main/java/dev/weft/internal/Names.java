package dev.weft.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/** Flow run names ({@code olivine-swan}) and task keys. */
public final class Names {
    private static final String[] ADJECTIVES = {
        "amber",
        "ancient",
        "arctic",
        "azure",
        "bold",
        "brave",
        "bright",
        "brisk",
        "calm",
        "candid",
        "cerulean",
        "clever",
        "cobalt",
        "coral",
        "cosmic",
        "crimson",
        "curious",
        "dapper",
        "daring",
        "discreet",
        "eager",
        "emerald",
        "fearless",
        "festive",
        "fiery",
        "gentle",
        "gilded",
        "glossy",
        "golden",
        "granite",
        "hardy",
        "hazel",
        "humble",
        "indigo",
        "ivory",
        "jade",
        "jolly",
        "keen",
        "lively",
        "loyal",
        "lucid",
        "lunar",
        "magenta",
        "mellow",
        "merry",
        "misty",
        "modest",
        "nimble",
        "noble",
        "olivine",
        "onyx",
        "opal",
        "patient",
        "pearly",
        "placid",
        "polar",
        "quick",
        "quiet",
        "radiant",
        "rapid",
        "russet",
        "rustic",
        "sage",
        "scarlet",
        "serene",
        "silver",
        "sleek",
        "solar",
        "spry",
        "steady",
        "stellar",
        "sturdy",
        "swift",
        "tawny",
        "tidal",
        "topaz",
        "tranquil",
        "umber",
        "vivid",
        "witty",
        "zealous"
    };
    private static final String[] ANIMALS = {
        "albatross",
        "alpaca",
        "antelope",
        "badger",
        "beaver",
        "bison",
        "bobcat",
        "butterfly",
        "camel",
        "caribou",
        "cheetah",
        "chipmunk",
        "condor",
        "cormorant",
        "coyote",
        "crane",
        "crow",
        "deer",
        "dingo",
        "dolphin",
        "dove",
        "eagle",
        "egret",
        "elk",
        "falcon",
        "ferret",
        "finch",
        "flamingo",
        "fox",
        "gazelle",
        "gecko",
        "gibbon",
        "giraffe",
        "goose",
        "gull",
        "hare",
        "hawk",
        "hedgehog",
        "heron",
        "ibis",
        "iguana",
        "jackal",
        "jaguar",
        "kestrel",
        "koala",
        "lemur",
        "leopard",
        "lion",
        "lynx",
        "macaw",
        "magpie",
        "marmot",
        "marten",
        "mink",
        "moose",
        "narwhal",
        "ocelot",
        "octopus",
        "orca",
        "osprey",
        "otter",
        "owl",
        "panda",
        "panther",
        "parrot",
        "peacock",
        "pelican",
        "penguin",
        "puffin",
        "quail",
        "rabbit",
        "raven",
        "robin",
        "salamander",
        "seal",
        "sparrow",
        "swan",
        "tapir",
        "tiger",
        "toucan",
        "turtle",
        "walrus",
        "weasel",
        "wolf",
        "wombat",
        "wren",
        "yak",
        "zebra"
    };

    private Names() {}

    /**
     * Returns a random adjective-noun name for a flow run, such as {@code olivine-swan}.
     *
     * @return the name
     */
    public static String flowRunName() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[random.nextInt(ANIMALS.length)];
    }

    /**
     * Returns a task's key: 8 hex digits derived from its name, stable across runs and machines.
     *
     * @param taskName the task's name
     * @return the key
     */
    public static String taskKey(String taskName) {
        CRC32 crc = new CRC32();
        crc.update(taskName.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /**
     * Names the thread a run ran on, as the history and the flight recorder show it: its name, or {@code
     * virtual thread #42} for an unnamed one.
     */
    static String worker(Thread thread) {
        String name = thread.getName();
        if (!name.isEmpty()) {
            return name;
        }
        return (thread.isVirtual() ? "virtual thread #" : "thread #") + thread.threadId();
    }
}
