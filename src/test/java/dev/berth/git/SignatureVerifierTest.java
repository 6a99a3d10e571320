package dev.berth.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.git.SignaturePolicy.Mode;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRepo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPDetachedSignatureGenerator;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Commits and tags signed with keys made here, checked against a keys directory that trusts some of them. */
class SignatureVerifierTest {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");

    @TempDir
    Path tmp;
    private TestRepo repo;
    private Path keys;

    @BeforeEach
    void setUp() throws IOException {
        repo = TestRepo.init(tmp.resolve("repo"));
        keys = Files.createDirectories(tmp.resolve("keys"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private Verification verify(Mode mode, ObjectId commit, String ref) {
        return new SignatureVerifier(new SignaturePolicy(mode, keys)).verify(repository(), commit, ref);
    }

    private Repository repository() {
        return repo.git().getRepository();
    }

    @Test
    void anUnsignedCommitIsRefused() {
        RevCommit commit = repo.write("app.yaml", "v1").commit("unsigned");

        Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

        assertFalse(v.trusted());
        assertEquals("commit " + commit.name() + " is not signed", v.reason());
    }

    /** Keys made with BouncyCastle, commits and tags signed through jgit's own signing code. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OpenPgp {

        private OpenPGPKey alice;
        private OpenPGPKey mallory;

        @BeforeAll
        void generateKeys() throws PGPException {
            alice = generate("Alice <alice@example.org>");
            mallory = generate("Mallory <mallory@example.org>");
        }

        @Test
        void aCommitSignedByATrustedArmoredKeyIsTrusted() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            RevCommit commit = signedCommit("deploy v1", alice);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertTrue(v.trusted(), v.reason());
            assertEquals("Alice <alice@example.org>", v.signer());
            assertEquals(signingKey(alice), v.key());
            assertEquals("commit " + commit.name() + " is signed by Alice <alice@example.org> (key "
                    + signingKey(alice) + ")", v.reason());
        }

        @Test
        void binaryKeyFilesAreReadToo() throws IOException {
            Files.write(keys.resolve("alice.gpg"), alice.toCertificate().getEncoded());

            assertTrue(verify(Mode.HEAD, signedCommit("deploy v1", alice), "refs/heads/main").trusted());
        }

        @Test
        void aCommitSignedByAnUnknownKeyIsRefused() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            RevCommit commit = signedCommit("deploy v1", mallory);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertFalse(v.trusted());
            assertNull(v.signer());
            assertEquals(signingKey(mallory), v.key());
            assertEquals("commit " + commit.name() + " is not signed by a trusted key (key " + signingKey(mallory)
                    + ")", v.reason());
        }

        @Test
        void aKeyOutsideTheKeysDirectoryIsNotTrustedEvenWhenNoKeyIsThere() {
            Verification v = verify(Mode.HEAD, signedCommit("deploy v1", alice), "refs/heads/main");

            assertFalse(v.trusted());
            assertTrue(v.reason().contains("is not signed by a trusted key"), v.reason());
        }

        @Test
        void aCommitChangedAfterSigningIsRefused() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            ObjectId forged = withMessage(signedCommit("deploy v1", alice), "deploy v1", "deploy v6");

            Verification v = verify(Mode.HEAD, forged, "refs/heads/main");

            assertFalse(v.trusted());
            assertEquals("commit " + forged.name() + " is not signed by a trusted key (key " + signingKey(alice)
                    + "): the signature does not match", v.reason());
        }

        @Test
        void aCommitSignedByARevokedKeyIsRefused() throws IOException, PGPException {
            OpenPGPKey trent = generate("Trent <trent@example.org>");
            OpenPGPKey revoked = new BcOpenPGPApi().editKey(trent).revokeKey().done();
            Files.writeString(keys.resolve("trent.asc"), revoked.toCertificate().toAsciiArmoredString());
            RevCommit commit = signedCommit("deploy v1", trent);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertFalse(v.trusted());
            assertTrue(v.reason().startsWith("commit " + commit.name() + " is not signed by a trusted key (key "
                    + signingKey(trent) + "): the key was revoked, expired or not for signing on "), v.reason());
        }

        @Test
        void aSecretKeyInTheKeysDirectoryRefusesEverythingWithTheFileNamed() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toAsciiArmoredString());

            Verification v = verify(Mode.HEAD, signedCommit("deploy v1", alice), "refs/heads/main");

            assertFalse(v.trusted());
            assertTrue(v.reason().startsWith("cannot verify commit ")
                    && v.reason().contains(keys.resolve("alice.asc").toString()), v.reason());
        }

        @Test
        void tagModeTrustsASignedAnnotatedTagOfAnUnsignedCommit() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            RevCommit commit = repo.write("app.yaml", "v1").commit("unsigned");
            signedTag("v1.0", alice);

            Verification tag = verify(Mode.TAG, commit, "refs/tags/v1.0");
            assertTrue(tag.trusted(), tag.reason());
            assertEquals("tag v1.0 is signed by Alice <alice@example.org> (key " + signingKey(alice) + ")",
                    tag.reason());

            Verification both = verify(Mode.TAG_AND_HEAD, commit, "refs/tags/v1.0");
            assertFalse(both.trusted());
            assertEquals("commit " + commit.name() + " is not signed", both.reason());
        }

        @Test
        void tagAndHeadModeTrustsASignedTagOfASignedCommit() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            RevCommit commit = signedCommit("deploy v1", alice);
            signedTag("v1.0", alice);

            Verification v = verify(Mode.TAG_AND_HEAD, commit, "refs/tags/v1.0");

            assertTrue(v.trusted(), v.reason());
            assertEquals("tag v1.0 is signed by Alice <alice@example.org> (key " + signingKey(alice) + "); commit "
                    + commit.name() + " is signed by Alice <alice@example.org> (key " + signingKey(alice) + ")",
                    v.reason());
        }

        @Test
        void aTagSignedByAnUnknownKeyIsRefused() throws IOException {
            Files.writeString(keys.resolve("alice.asc"), alice.toCertificate().toAsciiArmoredString());
            RevCommit commit = signedCommit("deploy v1", alice);
            signedTag("v1.0", mallory);

            Verification v = verify(Mode.TAG_AND_HEAD, commit, "refs/tags/v1.0");

            assertFalse(v.trusted());
            assertTrue(v.reason().startsWith("tag v1.0 is not signed by a trusted key"), v.reason());
        }

        @Test
        void tagModeNeedsASignedAnnotatedTagThatStillPointsToTheCommit() throws GitAPIException {
            RevCommit first = signedCommit("deploy v1", alice);
            repo.git().tag().setName("light").setAnnotated(false).call();
            repo.tag("plain");
            RevCommit second = signedCommit("deploy v2", alice);
            signedTag("v2.0", alice);

            assertEquals("verify mode tag needs a tag, but the ref is refs/heads/main",
                    verify(Mode.TAG, second, "refs/heads/main").reason());
            assertEquals("tag light is not an annotated tag, so it cannot be signed",
                    verify(Mode.TAG, first, "refs/tags/light").reason());
            assertEquals("tag plain is not signed", verify(Mode.TAG, first, "refs/tags/plain").reason());
            assertEquals("tag v2.0 no longer points to commit " + first.name(),
                    verify(Mode.TAG_AND_HEAD, first, "refs/tags/v2.0").reason());
        }

        private RevCommit signedCommit(String message, OpenPGPKey key) {
            try {
                repo.write("app.yaml", message);
                repo.git().add().addFilepattern(".").call();
                return repo.git().commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR)
                        .setSign(true).setSigner(signer(key)).setGpgConfig(new GpgConfig(new Config())).call();
            } catch (GitAPIException e) {
                throw new IllegalStateException(e);
            }
        }

        private void signedTag(String name, OpenPGPKey key) {
            try {
                repo.git().tag().setName(name).setMessage(name).setAnnotated(true).setTagger(AUTHOR)
                        .setSigned(true).setSigner(signer(key)).setGpgConfig(new GpgConfig(new Config())).call();
            } catch (GitAPIException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Keys made with ssh-keygen, commits and tags signed by the git command line (which runs ssh-keygen -Y sign). */
    @Nested
    class Ssh {

        private Path alice;
        private Path mallory;

        @BeforeEach
        void generateKeys() throws Exception {
            GitCli.requireGit();
            Prerequisites.requireBinaries("ssh-keygen");
            alice = sshKeygen("alice");
            mallory = sshKeygen("mallory");
            Files.writeString(keys.resolve(SshSignatures.ALLOWED_SIGNERS),
                    "alice@example.org " + Files.readString(alice.resolveSibling("alice.pub")));
        }

        @Test
        void aCommitByAnAllowedSignerIsTrusted() throws Exception {
            ObjectId commit = signedCommit("deploy v1", alice);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertTrue(v.trusted(), v.reason());
            assertEquals("alice@example.org", v.signer());
            assertEquals(fingerprint(alice), v.key());
        }

        @Test
        void aCommitByAKeyNotInAllowedSignersIsRefused() throws Exception {
            ObjectId commit = signedCommit("deploy v1", mallory);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertFalse(v.trusted());
            assertEquals(fingerprint(mallory), v.key());
            assertTrue(v.reason().startsWith("commit " + commit.name() + " is not signed by a trusted key (key "
                    + fingerprint(mallory) + ")"), v.reason());
        }

        @Test
        void withoutAnAllowedSignersFileNoSshKeyIsTrusted() throws Exception {
            Files.delete(keys.resolve(SshSignatures.ALLOWED_SIGNERS));
            ObjectId commit = signedCommit("deploy v1", alice);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertFalse(v.trusted());
            assertEquals("commit " + commit.name() + " is not signed by a trusted key: there is no "
                    + keys.resolve(SshSignatures.ALLOWED_SIGNERS).toAbsolutePath(), v.reason());
        }

        @Test
        void aCommitChangedAfterSigningIsRefused() throws Exception {
            ObjectId forged = withMessage(repository().parseCommit(signedCommit("deploy v1", alice)),
                    "deploy v1", "deploy v6");

            Verification v = verify(Mode.HEAD, forged, "refs/heads/main");

            assertFalse(v.trusted());
            assertEquals("commit " + forged.name() + " is not signed by a trusted key (key " + fingerprint(alice)
                    + "): the signature does not match", v.reason());
        }

        @Test
        void tagModesCheckTheTagAndTheCommit() throws Exception {
            ObjectId unsigned = repo.write("app.yaml", "v1").commit("unsigned");
            git(alice, "tag", "-s", "v1.0", "-m", "v1.0");
            ObjectId signed = signedCommit("deploy v2", alice);
            git(mallory, "tag", "-s", "v2.0", "-m", "v2.0");
            git(alice, "tag", "-s", "v2.1", "-m", "v2.1");

            Verification tag = verify(Mode.TAG, unsigned, "refs/tags/v1.0");
            assertTrue(tag.trusted(), tag.reason());
            assertEquals("alice@example.org", tag.signer());
            assertFalse(verify(Mode.TAG_AND_HEAD, unsigned, "refs/tags/v1.0").trusted());
            assertTrue(verify(Mode.TAG_AND_HEAD, signed, "refs/tags/v2.1").trusted());
            Verification untrusted = verify(Mode.TAG, signed, "refs/tags/v2.0");
            assertFalse(untrusted.trusted());
            assertEquals(fingerprint(mallory), untrusted.key());
        }

        private Path sshKeygen(String name) throws Exception {
            Path key = tmp.resolve(name);
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
            return key;
        }

        /** The key's SHA256 fingerprint, as ssh-keygen prints it. */
        private String fingerprint(Path key) throws Exception {
            return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub")).split(" ")[1];
        }

        private ObjectId signedCommit(String message, Path key) throws Exception {
            repo.write("app.yaml", message);
            git(key, "add", "-A");
            git(key, "commit", "-S", "-m", message);
            return repository().resolve(Constants.HEAD);
        }

        private void git(Path signingKey, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "gpg.format=ssh", "-c", "user.signingkey=" + signingKey));
            command.addAll(List.of(args));
            GitCli.run(repo.dir(), command.toArray(String[]::new));
        }
    }

    /** A key made by GnuPG and a commit signed by git itself, the way most people sign. */
    @Nested
    class GnuPg {

        private Map<String, String> env;

        @BeforeEach
        void generateKey() throws Exception {
            GitCli.requireGit();
            Prerequisites.requireBinaries("gpg", "gpgconf");
            Path home = Files.createDirectories(tmp.resolve("gnupg"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            env = Map.of("GNUPGHOME", home.toString());
            gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                    "Carol <carol@example.org>", "ed25519", "sign", "never");
        }

        /** gpg started an agent for this home; it would outlive the test. */
        @AfterEach
        void stopAgent() throws Exception {
            if (env != null) {
                run(null, env, List.of("gpgconf", "--kill", "gpg-agent"));
            }
        }

        @Test
        void aCommitSignedByGitWithAGnuPgKeyIsTrusted() throws Exception {
            Files.writeString(keys.resolve("carol.asc"), gpg("--armor", "--export", "carol@example.org"));
            run(repo.dir(), env, List.of("git", "-c", "user.name=Carol", "-c", "user.email=carol@example.org",
                    "-c", "user.signingkey=carol@example.org", "commit", "-q", "--allow-empty", "-S", "-m", "v1"));
            ObjectId commit = repository().resolve(Constants.HEAD);

            Verification v = verify(Mode.HEAD, commit, "refs/heads/main");

            assertTrue(v.trusted(), v.reason());
            assertEquals("Carol <carol@example.org>", v.signer());
        }

        private String gpg(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("gpg", "--quiet"));
            command.addAll(List.of(args));
            return run(null, env, command);
        }
    }

    private static OpenPGPKey generate(String userId) throws PGPException {
        // Version 4, the keys GnuPG makes; BouncyCastle would default to RFC 9580's version 6.
        return new BcOpenPGPApi().generateKey(PublicKeyPacket.VERSION_4).ed25519x25519Key(userId).build();
    }

    private static String signingKey(OpenPGPKey key) {
        return key.toCertificate().getSigningKeys().get(0).getKeyIdentifier().toString();
    }

    /** Stands in for jgit's GnuPG-keyring signer, signing with a key made in the test. */
    private static Signer signer(OpenPGPKey key) {
        return new Signer() {
            @Override
            public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer,
                    String signingKey, CredentialsProvider credentials) throws IOException {
                try {
                    return new GpgSignature(new OpenPGPDetachedSignatureGenerator().addSigningKey(key)
                            .sign(new ByteArrayInputStream(data)).get(0).toAsciiArmoredString()
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (PGPException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer,
                    String signingKey, CredentialsProvider credentials) {
                return true;
            }
        };
    }

    /** A copy of a commit object, signature included, with its message replaced: what a forger could push. */
    private ObjectId withMessage(RevCommit commit, String message, String replacement) throws IOException {
        String raw = new String(commit.getRawBuffer(), StandardCharsets.UTF_8);
        assertTrue(raw.contains("gpgsig "), "the commit to tamper with is signed");
        String forged = raw.replace("\n\n" + message, "\n\n" + replacement);
        assertNotEquals(raw, forged);
        try (ObjectInserter inserter = repository().newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_COMMIT, forged.getBytes(StandardCharsets.UTF_8));
            inserter.flush();
            return id;
        }
    }

    private static String run(List<String> command) throws Exception {
        return run(null, Map.of(), command);
    }

    private static String run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.directory(dir == null ? null : dir.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), () -> command + " failed: " + output);
        return output;
    }
}
