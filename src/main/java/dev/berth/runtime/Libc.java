package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/** The few libc calls the JDK lacks; each throws {@link LastErrorException} (errno) on failure. */
interface Libc extends Library {

    int MS_RDONLY = 1;
    int MS_NOSUID = 2;
    int MS_NODEV = 4;
    int MS_NOEXEC = 8;
    int MS_REMOUNT = 32;
    int MS_BIND = 4096;
    int MS_REC = 16384;
    int MNT_DETACH = 2;

    int CLONE_NEWUTS = 0x04000000;
    int CLONE_NEWIPC = 0x08000000;
    int CLONE_NEWNET = 0x40000000;

    int O_RDONLY = 0;
    int O_PATH = 010000000;
    int O_CLOEXEC = 02000000;
    /** openat2(2)'s number, the same on every architecture (added after the syscall tables were unified). */
    long SYS_OPENAT2 = 437;
    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_NO_SYMLINKS = 0x04;
    long RESOLVE_BENEATH = 0x08;
    int ELOOP = 40;
    int EXDEV = 18;
    int ENOENT = 2;
    int ENOSYS = 38;

    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    long SIOCGIFFLAGS = 0x8913;
    long SIOCSIFFLAGS = 0x8914;
    short IFF_UP = 1;

    Libc INSTANCE = Native.load("c", Libc.class);

    int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    /** Moves the calling thread into the namespace open at {@code fd}. */
    int setns(int fd, int nstype) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code ioctl(fd, request, struct ifreq *)}: the only ioctl shape berth uses. */
    int ioctl(int fd, NativeLong request, byte[] ifreq) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

    /** {@code syscall(SYS_openat2, dirfd, path, &how, sizeof how)}: glibc 2.36 has no wrapper for it. */
    NativeLong syscall(NativeLong number, int dirfd, String path, OpenHow how, NativeLong size) throws LastErrorException;

    /** openat2(2)'s {@code struct open_how}. */
    @Structure.FieldOrder({"flags", "mode", "resolve"})
    final class OpenHow extends Structure {
        public long flags;
        public long mode;
        public long resolve;
    }
}
