package dev.berth.cli;

import dev.berth.image.Image;
import dev.berth.image.Layer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List the node's images.")
final class ImagesListCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        global.configureLogging();
        List<Image> images = new ImageServices(global).images.list();
        switch (format) {
            case "json" -> System.out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(Map.of("images", images.stream().map(ImagesListCommand::json).toList())));
            case "text" -> {
                System.out.printf("%-50s %-19s %6s %10s%n", "NAME", "MANIFEST", "LAYERS", "SIZE");
                for (Image image : images) {
                    System.out.printf("%-50s %-19s %6d %10s%n", image.name(),
                            "sha256:" + image.manifest().hex().substring(0, 12), image.layers().size(), Sizes.human(size(image)));
                }
            }
            default -> throw new dev.berth.core.BerthException("unknown output format \"" + format + "\" (text or json)");
        }
        return ExitCodes.OK;
    }

    private static long size(Image image) {
        return image.layers().stream().mapToLong(Layer::size).sum();
    }

    private static Map<String, Object> json(Image image) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", image.name().toString());
        json.put("manifest", image.manifest().toString());
        json.put("config", image.config().toString());
        json.put("size", size(image));
        json.put("layers", image.layers().stream().map(l -> Map.of("digest", l.digest().toString(),
                "diffId", l.diffId().toString(), "mediaType", l.mediaType(), "size", l.size())).toList());
        return json;
    }
}
