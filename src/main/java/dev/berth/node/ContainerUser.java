package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who a container's process runs as, resolved as containerd does for the kubelet: {@code runAsUser} and
 * {@code runAsGroup} of the container, else of the pod, else the image's {@code USER} ("user", "user:group", by
 * number or by name through the image's {@code /etc/passwd} and {@code /etc/group}); the primary group from
 * {@code /etc/passwd} when nothing names one; supplementary groups from {@code supplementalGroups}, {@code fsGroup}
 * and the image's {@code /etc/group}. {@code runAsNonRoot} is checked against the result.
 */
record ContainerUser(long uid, long gid, List<Long> additionalGids) {

    ContainerUser {
        additionalGids = List.copyOf(additionalGids);
    }

    static ContainerUser resolve(PodSecurityContext pod, SecurityContext container, String imageUser, ImageFiles files,
                                 String containerName) {
        Optional<Long> runAsUser = Optional.ofNullable(container == null ? null : container.getRunAsUser())
                .or(() -> Optional.ofNullable(pod == null ? null : pod.getRunAsUser()));
        Optional<Long> runAsGroup = Optional.ofNullable(container == null ? null : container.getRunAsGroup())
                .or(() -> Optional.ofNullable(pod == null ? null : pod.getRunAsGroup()));
        Accounts accounts = new Accounts(files, containerName);
        String[] image = imageUser.isEmpty() ? new String[] {"0"} : imageUser.split(":", 2);

        long uid;
        Optional<Accounts.Entry> entry;
        if (runAsUser.isPresent()) {
            uid = runAsUser.get();
            entry = accounts.userById(uid);
        } else if (isNumber(image[0])) {
            uid = Long.parseLong(image[0]);
            entry = accounts.userById(uid);
        } else {
            entry = Optional.of(accounts.userByName(image[0]));
            uid = entry.get().id();
        }
        long gid;
        if (runAsGroup.isPresent()) {
            gid = runAsGroup.get();
        } else if (runAsUser.isEmpty() && image.length > 1) {
            gid = isNumber(image[1]) ? Long.parseLong(image[1]) : accounts.groupByName(image[1]);
        } else {
            gid = entry.map(Accounts.Entry::primaryGroup).orElse(0L);
        }

        Set<Long> additional = new LinkedHashSet<>();
        entry.ifPresent(e -> additional.addAll(accounts.groupsOf(e.name())));
        if (pod != null) {
            additional.addAll(orEmpty(pod.getSupplementalGroups()));
            if (pod.getFsGroup() != null) {
                additional.add(pod.getFsGroup());
            }
        }
        additional.remove(gid);
        ContainerUser user = new ContainerUser(uid, gid, new ArrayList<>(additional));
        user.checkNonRoot(pod, container, containerName, runAsUser.isPresent());
        return user;
    }

    /** The kubelet's check, with its words: a root process where {@code runAsNonRoot} asks for none is refused. */
    private void checkNonRoot(PodSecurityContext pod, SecurityContext container, String name, boolean explicitUser) {
        Boolean nonRoot = container != null && container.getRunAsNonRoot() != null ? container.getRunAsNonRoot()
                : pod == null ? null : pod.getRunAsNonRoot();
        if (Boolean.TRUE.equals(nonRoot) && uid == 0) {
            throw new BerthException("CreateContainerConfigError: container " + name + ": "
                    + (explicitUser ? "its runAsUser breaks non-root policy (runAsNonRoot is true, runAsUser is 0)"
                    : "it has runAsNonRoot and its image will run as root (set runAsUser, or USER in the image)"));
        }
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.length() < 11 && text.chars().allMatch(Character::isDigit);
    }

    /** The image's /etc/passwd and /etc/group, read when first needed. */
    private static final class Accounts {

        record Entry(String name, long id, long primaryGroup) {}

        private static final long MAX_ID = Integer.MAX_VALUE; // what Kubernetes allows in runAsUser

        private final ImageFiles files;
        private final String container;
        private List<String[]> passwd;
        private List<String[]> group;

        Accounts(ImageFiles files, String container) {
            this.files = files;
            this.container = container;
        }

        Optional<Entry> userById(long uid) {
            return passwd().stream().filter(f -> f.length > 3 && f[2].equals(Long.toString(uid))).findFirst()
                    .map(this::entry);
        }

        Entry userByName(String name) {
            return passwd().stream().filter(f -> f.length > 3 && f[0].equals(name)).findFirst().map(this::entry)
                    .orElseThrow(() -> new BerthException("CreateContainerConfigError: container " + container
                            + ": the image's user \"" + name + "\" is not in its /etc/passwd"));
        }

        long groupByName(String name) {
            return group().stream().filter(f -> f.length > 2 && f[0].equals(name)).findFirst()
                    .map(f -> id(f[2], "/etc/group")).orElseThrow(() -> new BerthException(
                            "CreateContainerConfigError: container " + container + ": the image's group \"" + name
                                    + "\" is not in its /etc/group"));
        }

        /** The groups that list {@code user} as a member (the fourth field of /etc/group). */
        List<Long> groupsOf(String user) {
            List<Long> ids = new ArrayList<>();
            for (String[] f : group()) {
                if (f.length > 3 && List.of(f[3].split(",")).contains(user)) {
                    ids.add(id(f[2], "/etc/group"));
                }
            }
            return ids;
        }

        private Entry entry(String[] f) {
            return new Entry(f[0], id(f[2], "/etc/passwd"), id(f[3], "/etc/passwd"));
        }

        private long id(String text, String file) {
            if (!isNumber(text) || Long.parseLong(text) > MAX_ID) {
                throw new BerthException("CreateContainerConfigError: container " + container + ": the image's "
                        + file + " has an id that is not a number up to " + MAX_ID + ": \"" + text + "\"");
            }
            return Long.parseLong(text);
        }

        private List<String[]> passwd() {
            if (passwd == null) {
                passwd = parse("etc/passwd");
            }
            return passwd;
        }

        private List<String[]> group() {
            if (group == null) {
                group = parse("etc/group");
            }
            return group;
        }

        private List<String[]> parse(String path) {
            List<String[]> lines = new ArrayList<>();
            files.read(path).ifPresent(text -> text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .forEach(l -> lines.add(l.split(":", -1))));
            return lines;
        }
    }
}
