package dev.berth.manifest;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The file modes of configMap, secret, downwardAPI and projected volumes, checked as the API server checks them:
 * from 0 to 0777. A mode written in decimal by mistake ({@code defaultMode: 644}) is over 0777 and refused here,
 * where a cluster would refuse it too.
 */
final class FileModes {

    private static final int MAX_MODE = 0777;

    private final BiConsumer<String, String> fail;

    /** @param fail takes the JSON pointer of a field and the problem with it */
    FileModes(BiConsumer<String, String> fail) {
        this.fail = fail;
    }

    void podSpec(String pointer, PodSpec spec) {
        List<Volume> volumes = spec.getVolumes();
        for (int i = 0; volumes != null && i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String at = pointer + "/volumes/" + i;
            if (v.getConfigMap() != null) {
                mode(at + "/configMap/defaultMode", v.getConfigMap().getDefaultMode());
                items(at + "/configMap/items", v.getConfigMap().getItems(), KeyToPath::getMode);
            }
            if (v.getSecret() != null) {
                mode(at + "/secret/defaultMode", v.getSecret().getDefaultMode());
                items(at + "/secret/items", v.getSecret().getItems(), KeyToPath::getMode);
            }
            if (v.getDownwardAPI() != null) {
                mode(at + "/downwardAPI/defaultMode", v.getDownwardAPI().getDefaultMode());
                items(at + "/downwardAPI/items", v.getDownwardAPI().getItems(), DownwardAPIVolumeFile::getMode);
            }
            if (v.getProjected() != null) {
                mode(at + "/projected/defaultMode", v.getProjected().getDefaultMode());
                projections(at + "/projected/sources", v.getProjected().getSources());
            }
        }
    }

    private void projections(String pointer, List<VolumeProjection> sources) {
        for (int i = 0; sources != null && i < sources.size(); i++) {
            VolumeProjection source = sources.get(i);
            String at = pointer + "/" + i;
            if (source.getConfigMap() != null) {
                items(at + "/configMap/items", source.getConfigMap().getItems(), KeyToPath::getMode);
            }
            if (source.getSecret() != null) {
                items(at + "/secret/items", source.getSecret().getItems(), KeyToPath::getMode);
            }
            if (source.getDownwardAPI() != null) {
                items(at + "/downwardAPI/items", source.getDownwardAPI().getItems(), DownwardAPIVolumeFile::getMode);
            }
        }
    }

    private <T> void items(String pointer, List<T> items, Function<T, Integer> mode) {
        for (int i = 0; items != null && i < items.size(); i++) {
            mode(pointer + "/" + i + "/mode", mode.apply(items.get(i)));
        }
    }

    private void mode(String pointer, Integer mode) {
        String field = "field \"" + ModelBinder.dotted(pointer) + "\": file mode " + mode;
        if (mode != null && mode < 0) {
            fail.accept(pointer, field + " is negative: it must be from 0 to 0777");
        } else if (mode != null && mode > MAX_MODE) {
            fail.accept(pointer, field + " is 0" + Integer.toOctalString(mode)
                    + " in octal, over 0777: write modes in octal with a leading 0, such as 0644");
        }
    }
}
