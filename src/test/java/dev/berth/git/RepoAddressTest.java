package dev.berth.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepoAddressTest {

    @Test
    void classifiesPathsAndUrls() {
        assertFalse(RepoAddress.parse("/srv/repo").remote());
        assertFalse(RepoAddress.parse("relative/repo").remote());
        assertFalse(RepoAddress.parse(".").remote());
        assertTrue(RepoAddress.parse("file:///srv/repo").remote());
        assertTrue(RepoAddress.parse("https://github.com/o/r.git").remote());
        assertTrue(RepoAddress.parse("git://host/r").remote());
        assertTrue(RepoAddress.parse("ssh://git@host:2222/r.git").remote());
        assertTrue(RepoAddress.parse("git@github.com:o/r.git").remote());
    }

    @Test
    void spellingsOfOneRepositoryShareACache() {
        String name = RepoAddress.parse("https://github.com/o/r.git").cacheName();

        assertEquals(16, name.length());
        assertTrue(name.matches("[0-9a-f]{16}"), name);
        assertEquals(name, RepoAddress.parse("https://GitHub.com/o/r").cacheName());
        assertEquals(name, RepoAddress.parse("https://bot:tok@github.com/o/r/").cacheName());
        assertNotEquals(name, RepoAddress.parse("https://github.com/o/other.git").cacheName());
        assertNotEquals(name, RepoAddress.parse("ssh://git@github.com/o/r.git").cacheName());
        assertEquals("scp://github.com/o/r", RepoAddress.parse("git@github.com:o/r.git").normalised());
    }

    @Test
    void displayDropsAnEmbeddedPassword() {
        assertEquals("https://bot@host/r.git", RepoAddress.parse("https://bot:s3cret@host/r.git").display());
        assertEquals("https://host/r.git", RepoAddress.parse("https://host/r.git").display());
        assertEquals("git@host:r.git", RepoAddress.parse("git@host:r.git").display());
    }
}
