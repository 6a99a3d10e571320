package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

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

    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    long SIOCGIFFLAGS = 0x8913;
    long SIOCSIFFLAGS = 0x8914;
    short IFF_UP = 1;

    Libc INSTANCE = Native.load("c", Libc.class);

    int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code ioctl(fd, request, struct ifreq *)}: the only ioctl shape berth uses. */
    int ioctl(int fd, NativeLong request, byte[] ifreq) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
