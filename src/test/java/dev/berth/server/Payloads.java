package dev.berth.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Deliveries shaped as GitHub, GitLab and Gitea send them (abridged from their documented examples). */
final class Payloads {

    static final String GITHUB_AFTER = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    static final String GITLAB_CHECKOUT = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";
    static final String GITEA_AFTER = "bffeb74224043ba2feb48d137756c8a9331c449a";

    private Payloads() {}

    static String githubPush(String ref, String defaultBranch) {
        return """
                {
                  "ref": "%1$s",
                  "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
                  "after": "%2$s",
                  "created": false,
                  "deleted": false,
                  "forced": false,
                  "base_ref": null,
                  "compare": "https://github.com/octo-org/deploy/compare/6113728f27ae...9fceb02d0ae5",
                  "commits": [
                    {
                      "id": "%2$s",
                      "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
                      "distinct": true,
                      "message": "Scale web to 3 replicas",
                      "timestamp": "2026-11-20T10:15:00+01:00",
                      "url": "https://github.com/octo-org/deploy/commit/%2$s",
                      "author": {"name": "Ada", "email": "ada@example.com", "username": "ada"},
                      "committer": {"name": "Ada", "email": "ada@example.com", "username": "ada"},
                      "added": [],
                      "removed": [],
                      "modified": ["apps/web.yaml"]
                    }
                  ],
                  "head_commit": {"id": "%2$s", "message": "Scale web to 3 replicas"},
                  "repository": {
                    "id": 1296269,
                    "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
                    "name": "deploy",
                    "full_name": "octo-org/deploy",
                    "private": true,
                    "owner": {"name": "octo-org", "login": "octo-org", "id": 6811672, "type": "Organization"},
                    "html_url": "https://github.com/octo-org/deploy",
                    "clone_url": "https://github.com/octo-org/deploy.git",
                    "default_branch": "%3$s",
                    "master_branch": "%3$s"
                  },
                  "pusher": {"name": "ada", "email": "ada@example.com"},
                  "sender": {"login": "ada", "id": 583231, "type": "User"}
                }
                """.formatted(ref, GITHUB_AFTER, defaultBranch);
    }

    static String githubPing() {
        return """
                {
                  "zen": "Keep it logically awesome.",
                  "hook_id": 123456,
                  "hook": {"type": "Repository", "id": 123456, "name": "web", "active": true, "events": ["push"],
                           "config": {"content_type": "json", "insecure_ssl": "0", "url": "https://node/hooks/github"}},
                  "repository": {"id": 1296269, "full_name": "octo-org/deploy", "default_branch": "main"},
                  "sender": {"login": "ada", "id": 583231, "type": "User"}
                }
                """;
    }

    /** GitLab's {@code repository} object has no default branch: it is under {@code project}. */
    static String gitlabPush(String ref, String defaultBranch) {
        return """
                {
                  "object_kind": "push",
                  "event_name": "push",
                  "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
                  "after": "%2$s",
                  "ref": "%1$s",
                  "ref_protected": true,
                  "checkout_sha": "%2$s",
                  "user_id": 4,
                  "user_name": "John Smith",
                  "user_username": "jsmith",
                  "user_email": "john@example.com",
                  "project_id": 15,
                  "project": {
                    "id": 15,
                    "name": "Deploy",
                    "path_with_namespace": "ops/deploy",
                    "web_url": "https://gitlab.example.com/ops/deploy",
                    "git_ssh_url": "git@gitlab.example.com:ops/deploy.git",
                    "git_http_url": "https://gitlab.example.com/ops/deploy.git",
                    "default_branch": "%3$s",
                    "visibility_level": 0
                  },
                  "commits": [
                    {
                      "id": "%2$s",
                      "message": "Scale web to 3 replicas",
                      "timestamp": "2026-11-20T10:15:00+01:00",
                      "author": {"name": "John Smith", "email": "john@example.com"},
                      "added": [], "modified": ["apps/web.yaml"], "removed": []
                    }
                  ],
                  "total_commits_count": 1,
                  "repository": {
                    "name": "Deploy",
                    "url": "git@gitlab.example.com:ops/deploy.git",
                    "homepage": "https://gitlab.example.com/ops/deploy",
                    "git_http_url": "https://gitlab.example.com/ops/deploy.git",
                    "visibility_level": 0
                  }
                }
                """.formatted(ref, GITLAB_CHECKOUT, defaultBranch);
    }

    static String giteaPush(String ref, String defaultBranch) {
        return """
                {
                  "ref": "%1$s",
                  "before": "28e1879d029cb852e4844d9c718537df08844e03",
                  "after": "%2$s",
                  "compare_url": "https://gitea.example.com/ops/deploy/compare/28e1879d02...bffeb74224",
                  "commits": [
                    {
                      "id": "%2$s",
                      "message": "Scale web to 3 replicas\\n",
                      "url": "https://gitea.example.com/ops/deploy/commit/%2$s",
                      "author": {"name": "ada", "email": "ada@example.com", "username": "ada"},
                      "committer": {"name": "ada", "email": "ada@example.com", "username": "ada"},
                      "verification": null,
                      "timestamp": "2026-11-20T10:15:00+01:00",
                      "added": [], "removed": [], "modified": ["apps/web.yaml"]
                    }
                  ],
                  "total_commits": 1,
                  "head_commit": {"id": "%2$s", "message": "Scale web to 3 replicas\\n"},
                  "repository": {
                    "id": 140,
                    "owner": {"id": 1, "login": "ops", "username": "ops"},
                    "name": "deploy",
                    "full_name": "ops/deploy",
                    "private": true,
                    "html_url": "https://gitea.example.com/ops/deploy",
                    "clone_url": "https://gitea.example.com/ops/deploy.git",
                    "default_branch": "%3$s"
                  },
                  "pusher": {"id": 1, "login": "ada", "username": "ada"},
                  "sender": {"id": 1, "login": "ada", "username": "ada"}
                }
                """.formatted(ref, GITEA_AFTER, defaultBranch);
    }

    /** Hex HMAC-SHA256, computed here with the JDK directly rather than with the code under test. */
    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
