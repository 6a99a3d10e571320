package dev.berth.net.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link ServiceProxy} that keeps what each sync was given, and lets a test look at the world as each one comes. */
public final class RecordingProxy implements ServiceProxy {

    public final List<List<ServiceEndpoints>> syncs = new CopyOnWriteArrayList<>();
    private volatile Consumer<List<ServiceEndpoints>> onSync = s -> { };

    /** Runs {@code check} within each sync, before it returns. */
    public void onSync(Consumer<List<ServiceEndpoints>> check) {
        onSync = check;
    }

    @Override
    public void sync(List<ServiceEndpoints> services) {
        onSync.accept(services);
        syncs.add(List.copyOf(services));
    }

    /** What the last sync was given; empty before any. */
    public List<ServiceEndpoints> last() {
        return syncs.isEmpty() ? List.of() : syncs.get(syncs.size() - 1);
    }
}
