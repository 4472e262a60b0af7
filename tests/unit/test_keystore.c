/*
 * test_keystore.c — the workspace keys/ folder (doge/keystore.h) on a real
 * workspace in a temporary folder: save and load round trips for both key
 * types with the file modes checked by stat, the exact file contents,
 * overwrites refused, unsafe names refused without touching the disk, the
 * '/' to '_' file-name mapping and its collisions, verifiers resolved from a
 * name, a file and a key text (with and without a workspace), listing with
 * verifier-only keys, and clear errors for damaged key files. Go's published
 * PeterNeumann key signs its test note byte for byte after a save and load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doge.h"
#include "doge/keystore.h"
#include "util_assert.h"

static const char PETER_SKEY[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char PETER_VKEY[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char ENOCH_VKEY[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char TEXT[] = "If you think cryptography is the answer to your problem,\n"
                           "then you don't know what your problem is.\n";
static const char PETER_NOTE[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

typedef struct {
    char dir[64];
    doge_workspace *ws;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    umask(022);
    snprintf(f->dir, sizeof f->dir, "/tmp/doge-keystore-XXXXXX");
    if (!mkdtemp(f->dir) || doge_workspace_init(f->dir) || doge_workspace_open(&f->ws, f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    doge_workspace_free(f->ws);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* "<dir>/<rel>" in a static buffer (one at a time). */
static const char *at(const fixture *f, const char *rel)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, rel);
    return path;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 8192);
    size_t n = buf ? fread(buf, 1, 8191, fp) : 0;
    (void)n;
    fclose(fp);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int file_mode(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    return (int)(sb.st_mode & 0777);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    doge_signer *s, *back;
    assert_ok(doge_signer_generate(&s, "alice", DOGE_KEY_ED25519));
    assert_ok(doge_keystore_save(f->ws, s));

    assert_int_equal(file_mode(at(f, "keys/alice.key")), 0600);
    assert_int_equal(file_mode(at(f, "keys/alice.pub")), 0644);

    /* The files hold exactly the key texts and a newline. */
    char *skey, *vkey, *want;
    doge_verifier *v;
    assert_ok(doge_signer_format(s, &skey));
    assert_ok(doge_signer_verifier(s, &v));
    assert_ok(doge_verifier_format(v, &vkey));
    want = slurp(at(f, "keys/alice.key"));
    assert_non_null(want);
    assert_int_equal(strlen(want), strlen(skey) + 1);
    assert_memory_equal(want, skey, strlen(skey));
    assert_int_equal(want[strlen(skey)], '\n');
    free(want);
    want = slurp(at(f, "keys/alice.pub"));
    assert_non_null(want);
    assert_int_equal(strlen(want), strlen(vkey) + 1);
    assert_memory_equal(want, vkey, strlen(vkey));
    free(want);

    /* Loading gives back the same key. */
    assert_ok(doge_keystore_load_signer(f->ws, "alice", &back));
    char *skey2;
    assert_ok(doge_signer_format(back, &skey2));
    assert_string_equal(skey, skey2);
    assert_int_equal(doge_signer_type(back), DOGE_KEY_ED25519);

    doge_verifier *lv;
    assert_ok(doge_keystore_load_verifier(f->ws, "alice", &lv));
    assert_true(doge_verifier_equal(lv, v));

    doge_key_info info;
    assert_ok(doge_keystore_get(f->ws, "alice", &info));
    assert_string_equal(info.name, "alice");
    assert_string_equal(info.file, "alice");
    assert_string_equal(info.vkey, vkey);
    assert_int_equal(info.type, DOGE_KEY_ED25519);
    assert_int_equal(info.key_hash, doge_signer_key_hash(s));
    assert_true(info.has_private);
    doge_keystore_info_clear(&info);
    assert_null(info.name);

    /* No temporary file is left behind. */
    doge_key_info *list;
    size_t n;
    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 1);
    doge_keystore_list_free(list, n);

    free(skey);
    free(skey2);
    free(vkey);
    doge_verifier_free(v);
    doge_verifier_free(lv);
    doge_signer_free(s);
    doge_signer_free(back);
}

static void test_witness_key(void **state)
{
    fixture *f = *state;
    doge_signer *w, *back;
    assert_ok(doge_signer_generate(&w, "witness.example/w1", DOGE_KEY_COSIGNATURE_V1));
    assert_ok(doge_keystore_save(f->ws, w));
    assert_int_equal(file_mode(at(f, "keys/witness.example_w1.key")), 0600);
    assert_ok(doge_keystore_load_signer(f->ws, "witness.example/w1", &back));
    assert_int_equal(doge_signer_type(back), DOGE_KEY_COSIGNATURE_V1);
    assert_memory_equal(doge_signer_public_key(back), doge_signer_public_key(w),
                        DOGE_ED25519_PUBLIC_SIZE);
    assert_int_equal(doge_signer_key_hash(back), doge_signer_key_hash(w));

    /* The real name, with its '/', is inside the key text. */
    char *text = slurp(at(f, "keys/witness.example_w1.key"));
    assert_non_null(text);
    assert_non_null(strstr(text, "PRIVATE+KEY+witness.example/w1+"));
    free(text);

    doge_key_info info;
    assert_ok(doge_keystore_get(f->ws, "witness.example/w1", &info));
    assert_int_equal(info.type, DOGE_KEY_COSIGNATURE_V1);
    assert_string_equal(info.file, "witness.example_w1");
    assert_string_equal(doge_keystore_type_name(info.type), "cosignature/v1");
    doge_keystore_info_clear(&info);
    assert_string_equal(doge_keystore_type_name(DOGE_KEY_ED25519), "ed25519");

    /* A cosignature made with the loaded key verifies with the saved vkey. */
    uint8_t root[DOGE_CHECKPOINT_HASH_SIZE] = {1, 2, 3};
    doge_checkpoint *c;
    char *body, *line;
    size_t body_len, line_len;
    assert_ok(doge_checkpoint_new(&c, "doge.example/log", 7, root));
    assert_ok(doge_checkpoint_format(c, &body, &body_len));
    assert_ok(doge_cosignature_sign(&line, &line_len, back, body, body_len, 1700000000));
    doge_verifier *v;
    assert_ok(doge_keystore_load_verifier(f->ws, "witness.example/w1", &v));
    char *note = malloc(body_len + 1 + line_len + 1);
    assert_non_null(note);
    memcpy(note, body, body_len);
    note[body_len] = '\n';
    memcpy(note + body_len + 1, line, line_len);
    doge_note *opened;
    const doge_verifier *known[1] = {v};
    assert_ok(doge_note_open(&opened, note, body_len + 1 + line_len, known, 1));
    assert_true(doge_note_sig_at(opened, 0)->timestamp == 1700000000);
    doge_note_free(opened);
    free(note);
    free(body);
    free(line);
    doge_checkpoint_free(c);
    doge_verifier_free(v);
    doge_signer_free(w);
    doge_signer_free(back);
}

static void test_overwrite_refused(void **state)
{
    fixture *f = *state;
    doge_signer *a, *b, *back;
    doge_verifier *bv;
    assert_ok(doge_signer_generate(&a, "bob", DOGE_KEY_ED25519));
    assert_ok(doge_signer_generate(&b, "bob", DOGE_KEY_ED25519));
    assert_ok(doge_keystore_save(f->ws, a));
    char *before = slurp(at(f, "keys/bob.key"));
    assert_non_null(before);

    assert_error(doge_keystore_save(f->ws, b), DOGE_EEXISTS, "already exists");
    assert_message_has("bob.key");
    assert_error(doge_keystore_save(f->ws, a), DOGE_EEXISTS, "key 'bob' already exists");
    assert_ok(doge_signer_verifier(b, &bv));
    assert_error(doge_keystore_save_verifier(f->ws, bv), DOGE_EEXISTS, "already exists");

    /* The first key is untouched. */
    char *after = slurp(at(f, "keys/bob.key"));
    assert_string_equal(before, after);
    assert_ok(doge_keystore_load_signer(f->ws, "bob", &back));
    assert_memory_equal(doge_signer_public_key(back), doge_signer_public_key(a),
                        DOGE_ED25519_PUBLIC_SIZE);

    /* A verifier-only key also blocks a later private key of that name. */
    doge_verifier *ev;
    doge_signer *e;
    assert_ok(doge_verifier_parse(&ev, ENOCH_VKEY));
    assert_ok(doge_keystore_save_verifier(f->ws, ev));
    assert_int_equal(file_mode(at(f, "keys/EnochRoot.pub")), 0644);
    assert_int_equal(access(at(f, "keys/EnochRoot.key"), F_OK), -1);
    assert_ok(doge_signer_generate(&e, "EnochRoot", DOGE_KEY_ED25519));
    assert_error(doge_keystore_save(f->ws, e), DOGE_EEXISTS, "EnochRoot.pub");
    assert_int_equal(access(at(f, "keys/EnochRoot.key"), F_OK), -1);
    assert_error(doge_keystore_save_verifier(f->ws, ev), DOGE_EEXISTS, "already exists");

    free(before);
    free(after);
    doge_verifier_free(bv);
    doge_verifier_free(ev);
    doge_signer_free(a);
    doge_signer_free(b);
    doge_signer_free(e);
    doge_signer_free(back);
}

static void test_bad_names(void **state)
{
    fixture *f = *state;
    char buf[DOGE_KEYSTORE_FILE_MAX + 1];
    assert_ok(doge_keystore_file_name("doge.example/log", buf, sizeof buf));
    assert_string_equal(buf, "doge.example_log");
    assert_ok(doge_keystore_file_name("a/b/c", buf, sizeof buf));
    assert_string_equal(buf, "a_b_c");
    assert_ok(doge_keystore_file_name("x..y", buf, sizeof buf));
    assert_string_equal(buf, "x..y");

    assert_error(doge_keystore_file_name("/etc/passwd", buf, sizeof buf), DOGE_EINVAL,
                 "starts with '/'");
    assert_error(doge_keystore_file_name("../evil", buf, sizeof buf), DOGE_EINVAL,
                 "'..' path part");
    assert_error(doge_keystore_file_name("a/../../evil", buf, sizeof buf), DOGE_EINVAL,
                 "'..' path part");
    assert_error(doge_keystore_file_name("a/..", buf, sizeof buf), DOGE_EINVAL, "'..' path part");
    assert_error(doge_keystore_file_name("a/./b", buf, sizeof buf), DOGE_EINVAL, "'.' path part");
    assert_error(doge_keystore_file_name("..", buf, sizeof buf), DOGE_EINVAL, "'..' path part");
    assert_error(doge_keystore_file_name(".hidden", buf, sizeof buf), DOGE_EINVAL,
                 "starts with '.'");
    assert_error(doge_keystore_file_name("a//b", buf, sizeof buf), DOGE_EINVAL, "empty path part");
    assert_error(doge_keystore_file_name("log/", buf, sizeof buf), DOGE_EINVAL, "ends with '/'");
    assert_error(doge_keystore_file_name("a+b", buf, sizeof buf), DOGE_EINVAL, "key name 'a+b'");
    assert_error(doge_keystore_file_name("a b", buf, sizeof buf), DOGE_EINVAL, "key name 'a b'");
    assert_error(doge_keystore_file_name("", buf, sizeof buf), DOGE_EINVAL, "key name ''");
    char tiny[4];
    assert_error(doge_keystore_file_name("alice", tiny, sizeof tiny), DOGE_ELIMIT, "too small");
    char longname[DOGE_KEYSTORE_FILE_MAX + 2];
    memset(longname, 'k', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_error(doge_keystore_file_name(longname, buf, sizeof buf), DOGE_EINVAL, "bytes, more than");
    longname[DOGE_KEYSTORE_FILE_MAX] = '\0';
    assert_ok(doge_keystore_file_name(longname, buf, sizeof buf));

    /* A signer with an escaping name is refused before anything is written. */
    doge_signer *s;
    assert_ok(doge_signer_generate(&s, "../evil", DOGE_KEY_ED25519));
    assert_error(doge_keystore_save(f->ws, s), DOGE_EINVAL, "'..' path part");
    assert_int_equal(access(at(f, "evil.key"), F_OK), -1);
    assert_int_equal(access(at(f, "keys/.._evil.key"), F_OK), -1);
    doge_signer_free(s);
    assert_ok(doge_signer_generate(&s, "a/../../../tmp/x", DOGE_KEY_ED25519));
    assert_error(doge_keystore_save(f->ws, s), DOGE_EINVAL, "'..' path part");
    doge_signer_free(s);

    doge_signer *out = (doge_signer *)1;
    assert_error(doge_keystore_load_signer(f->ws, "../evil", &out), DOGE_EINVAL, "'..' path part");
    assert_null(out);
    doge_key_info info;
    assert_error(doge_keystore_get(f->ws, "/abs", &info), DOGE_EINVAL, "starts with '/'");

    doge_key_info *list;
    size_t n;
    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 0);
    assert_null(list);
}

static void test_name_collision(void **state)
{
    fixture *f = *state;
    doge_signer *ab, *a_b, *out;
    assert_ok(doge_signer_generate(&ab, "a/b", DOGE_KEY_ED25519));
    assert_ok(doge_signer_generate(&a_b, "a_b", DOGE_KEY_ED25519));
    assert_ok(doge_keystore_save(f->ws, ab));
    assert_error(doge_keystore_save(f->ws, a_b), DOGE_EEXISTS, "a_b.key");
    assert_error(doge_keystore_load_signer(f->ws, "a_b", &out), DOGE_ENOTFOUND,
                 "holds key 'a/b'");
    assert_null(out);
    doge_key_info info;
    assert_error(doge_keystore_get(f->ws, "a_b", &info), DOGE_ENOTFOUND, "hold key 'a/b'");
    assert_ok(doge_keystore_load_signer(f->ws, "a/b", &out));
    assert_string_equal(doge_signer_name(out), "a/b");
    doge_signer_free(out);
    doge_signer_free(ab);
    doge_signer_free(a_b);
}

static void test_verifier_sources(void **state)
{
    fixture *f = *state;
    doge_signer *peter;
    doge_verifier *want, *v;
    assert_ok(doge_signer_parse(&peter, PETER_SKEY));
    assert_ok(doge_verifier_parse(&want, PETER_VKEY));
    assert_ok(doge_keystore_save(f->ws, peter));

    /* 1. by name */
    assert_ok(doge_keystore_load_verifier(f->ws, "PeterNeumann", &v));
    assert_true(doge_verifier_equal(v, want));
    doge_verifier_free(v);

    /* by name, from the .key alone when the .pub is gone */
    assert_int_equal(unlink(at(f, "keys/PeterNeumann.pub")), 0);
    assert_ok(doge_keystore_load_verifier(f->ws, "PeterNeumann", &v));
    assert_true(doge_verifier_equal(v, want));
    doge_verifier_free(v);

    /* 2. from a file, with trailing whitespace, with or without a workspace */
    spit(at(f, "peter.vkey"), "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\r\n");
    assert_ok(doge_keystore_load_verifier(f->ws, at(f, "peter.vkey"), &v));
    assert_true(doge_verifier_equal(v, want));
    doge_verifier_free(v);
    assert_ok(doge_keystore_load_verifier(NULL, at(f, "peter.vkey"), &v));
    assert_true(doge_verifier_equal(v, want));
    doge_verifier_free(v);

    /* 3. the vkey text itself */
    assert_ok(doge_keystore_load_verifier(f->ws, PETER_VKEY, &v));
    assert_true(doge_verifier_equal(v, want));
    doge_verifier_free(v);
    assert_ok(doge_keystore_load_verifier(NULL, ENOCH_VKEY, &v));
    assert_string_equal(doge_verifier_name(v), "EnochRoot");
    doge_verifier_free(v);

    /* Refusals: a private key file or text, a folder, a bad text, nothing. */
    spit(at(f, "peter.skey"), PETER_SKEY);
    v = (doge_verifier *)1;
    assert_error(doge_keystore_load_verifier(f->ws, at(f, "peter.skey"), &v), DOGE_EINVAL,
                 "holds a private key");
    assert_null(v);
    assert_error(doge_keystore_load_verifier(f->ws, PETER_SKEY, &v), DOGE_EINVAL,
                 "private key text");
    assert_null(strstr(doge_error_last(), "AYEKFALV"));
    assert_error(doge_keystore_load_verifier(f->ws, at(f, "keys"), &v), DOGE_EINVAL,
                 "not a regular file");
    assert_error(doge_keystore_load_verifier(f->ws, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v),
                 DOGE_EINVAL, "does not match");
    assert_error(doge_keystore_load_verifier(f->ws, "nobody", &v), DOGE_ENOTFOUND,
                 "no key 'nobody'");
    assert_message_has("keys");
    assert_error(doge_keystore_load_verifier(NULL, "PeterNeumann", &v), DOGE_ENOTFOUND,
                 "not a file and not a verifier key text");
    spit(at(f, "garbage.pub"), "hello world\n");
    assert_error(doge_keystore_load_verifier(f->ws, at(f, "garbage.pub"), &v), DOGE_EINVAL,
                 "garbage.pub");

    doge_verifier_free(want);
    doge_signer_free(peter);
}

static void test_list(void **state)
{
    fixture *f = *state;
    doge_key_info *list;
    size_t n = 99;
    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 0);

    doge_signer *peter, *w;
    doge_verifier *enoch;
    assert_ok(doge_signer_parse(&peter, PETER_SKEY));
    assert_ok(doge_signer_generate(&w, "doge.example/witness", DOGE_KEY_COSIGNATURE_V1));
    assert_ok(doge_verifier_parse(&enoch, ENOCH_VKEY));
    assert_ok(doge_keystore_save(f->ws, w));
    assert_ok(doge_keystore_save(f->ws, peter));
    assert_ok(doge_keystore_save_verifier(f->ws, enoch));
    spit(at(f, "keys/README"), "not a key\n"); /* other files are ignored */
    spit(at(f, "keys/.hidden.key"), "junk\n");

    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "EnochRoot");
    assert_false(list[0].has_private);
    assert_string_equal(list[0].vkey, ENOCH_VKEY);
    assert_int_equal(list[0].key_hash, 0xaf0cfe78);
    assert_string_equal(list[1].name, "PeterNeumann");
    assert_true(list[1].has_private);
    assert_string_equal(list[1].vkey, PETER_VKEY);
    assert_int_equal(list[1].type, DOGE_KEY_ED25519);
    assert_int_equal(list[1].key_hash, 0xc74f20a3);
    assert_string_equal(list[2].name, "doge.example/witness");
    assert_string_equal(list[2].file, "doge.example_witness");
    assert_int_equal(list[2].type, DOGE_KEY_COSIGNATURE_V1);
    assert_true(list[2].has_private);
    doge_keystore_list_free(list, n);

    /* The workspace status counts the private keys. */
    doge_workspace_status st;
    assert_ok(doge_workspace_stat(f->ws, &st));
    assert_int_equal(st.keys, 2);

    /* A verifier-only key cannot sign. */
    doge_signer *out;
    assert_error(doge_keystore_load_signer(f->ws, "EnochRoot", &out), DOGE_ENOTFOUND,
                 "has no private key");
    assert_error(doge_keystore_load_signer(f->ws, "nobody", &out), DOGE_ENOTFOUND,
                 "no private key 'nobody'");
    assert_message_has("nobody.key");

    /* Damaged folders are reported, naming the file. */
    spit(at(f, "keys/PeterNeumann.pub"), ENOCH_VKEY);
    assert_error(doge_keystore_list(f->ws, &list, &n), DOGE_EINVAL, "hold different keys");
    assert_message_has("PeterNeumann.pub");
    assert_int_equal(n, 0);
    assert_null(list);
    assert_int_equal(unlink(at(f, "keys/PeterNeumann.pub")), 0);
    char from[256];
    snprintf(from, sizeof from, "%s", at(f, "keys/EnochRoot.pub"));
    assert_int_equal(rename(from, at(f, "keys/Enoch.pub")), 0);
    assert_error(doge_keystore_list(f->ws, &list, &n), DOGE_EINVAL, "renamed by hand");
    assert_message_has("Enoch.pub");
    assert_int_equal(unlink(at(f, "keys/Enoch.pub")), 0);
    spit(at(f, "keys/broken.key"), "PRIVATE+KEY+broken+00000000+AAAA\n");
    assert_error(doge_keystore_list(f->ws, &list, &n), DOGE_EINVAL, "broken.key");
    spit(at(f, "keys/broken.key"), "");
    assert_error(doge_keystore_list(f->ws, &list, &n), DOGE_EINVAL, "is empty");
    assert_int_equal(unlink(at(f, "keys/broken.key")), 0);
    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 2);
    doge_keystore_list_free(list, n);

    doge_signer_free(peter);
    doge_signer_free(w);
    doge_verifier_free(enoch);
}

static void test_go_vector_through_keystore(void **state)
{
    fixture *f = *state;
    doge_signer *peter, *loaded;
    assert_ok(doge_signer_parse(&peter, PETER_SKEY));
    assert_ok(doge_keystore_save(f->ws, peter));
    assert_ok(doge_keystore_load_signer(f->ws, "PeterNeumann", &loaded));
    char *note;
    size_t len;
    const doge_signer *signers[1] = {loaded};
    assert_ok(doge_note_sign(&note, &len, TEXT, strlen(TEXT), signers, 1));
    assert_int_equal(len, strlen(PETER_NOTE));
    assert_string_equal(note, PETER_NOTE);

    doge_verifier *v;
    doge_note *n;
    assert_ok(doge_keystore_load_verifier(f->ws, "PeterNeumann", &v));
    const doge_verifier *known[1] = {v};
    assert_ok(doge_note_open(&n, note, len, known, 1));
    assert_string_equal(doge_note_text(n, NULL), TEXT);
    doge_note_free(n);
    note[10] ^= 1;
    assert_error(doge_note_open(&n, note, len, known, 1), DOGE_EVERIFY, "");
    free(note);
    doge_verifier_free(v);
    doge_signer_free(peter);
    doge_signer_free(loaded);
}

static void test_missing_keys_folder(void **state)
{
    fixture *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/keys'", f->dir);
    assert_int_equal(system(cmd), 0);
    doge_key_info *list;
    size_t n;
    assert_ok(doge_keystore_list(f->ws, &list, &n));
    assert_int_equal(n, 0);
    /* Saving creates keys/ again, private to its owner. */
    doge_signer *s;
    assert_ok(doge_signer_generate(&s, "carol", DOGE_KEY_ED25519));
    assert_ok(doge_keystore_save(f->ws, s));
    assert_int_equal(file_mode(at(f, "keys")), 0700);
    assert_int_equal(file_mode(at(f, "keys/carol.key")), 0600);
    doge_signer_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_witness_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_collision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verifier_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_vector_through_keystore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_keys_folder, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
